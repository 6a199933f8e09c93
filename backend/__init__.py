"""Talent Pool backend-for-frontend: validation, rules, tenancy and persistence."""

import os

# Piccolo finds its engine and apps through this module, whatever the working directory.
os.environ.setdefault("PICCOLO_CONF", "backend.piccolo_conf")
