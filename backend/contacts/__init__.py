"""Trusted contacts of a company, their tags and the Talent Pool listing."""
