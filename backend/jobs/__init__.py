"""Job offers: hiring and re-hiring trusted contacts."""
