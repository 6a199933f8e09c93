"""Personal invitations by email and connection requests to existing workers."""
