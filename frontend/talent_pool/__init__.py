"""The Talent Pool web app (Reflex)."""
