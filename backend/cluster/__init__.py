"""The multi-process topology (`make run-cluster`, `make test-cluster`): PostgreSQL, Redis, nginx in
front of BFF replicas and web app processes, dedicated email senders and import runners, and the
mail catcher, each a supervised child process. docs/deploy.md describes it.
"""
