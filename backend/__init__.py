"""Talent Pool backend-for-frontend: validation, rules, tenancy and persistence."""
