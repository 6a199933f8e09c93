"""Teammates: roles, team invitations, role changes and removal."""
