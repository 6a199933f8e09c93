"""Reminders of unanswered invitations: each company's schedule, and the pass that sends the due ones."""
