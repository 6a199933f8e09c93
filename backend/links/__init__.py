"""Flow 2: generic invitation links, applicants who sign up through them, and their approval."""
