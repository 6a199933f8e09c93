"""A local mail catcher: a real SMTP server that keeps every email as an .eml file, and a web page to read them.

    python -m backend.mailcatcher --smtp-port 1025 --http-port 8025 --store var/mail

People read the caught emails at http://localhost:8025 (links inside are clickable);
tests use the JSON API: GET /api/messages, GET /api/messages/{id}, DELETE /api/messages.
"""
