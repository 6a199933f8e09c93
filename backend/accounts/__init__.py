"""Company accounts, company users and their sessions."""
