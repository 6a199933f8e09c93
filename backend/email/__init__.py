"""Transactional email: the outbox, its templates and the SMTP sender."""
