"""A worker's connections: companies asking to connect, and the worker's answers."""
