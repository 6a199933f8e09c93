"""Password recovery and change for company users and workers."""
