# Talent Pool: build, run and test. `make help` lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TOOLS := .tools
BUN_VERSION := 1.4.4
UV_VERSION := 0.13.8
# Extra arguments for every pytest run, e.g. make test-sqlite PYTEST_ARGS="-k contacts -x"
PYTEST_ARGS ?=
# Browser test artefacts (screenshots and traces of failed tests).
E2E_ARGS ?= --browser chromium --screenshot only-on-failure --tracing retain-on-failure --output test-results

VENV_STAMP := $(VENV)/.installed
BUN_STAMP := $(TOOLS)/.bun-$(BUN_VERSION)
UV := $(TOOLS)/uv/bin/uv
UV_STAMP := $(TOOLS)/.uv-$(UV_VERSION)
# uv installs exactly what uv.lock lists (every transitive dependency, each checked against its
# hashes) into .venv, with the interpreter make finds as $(PYTHON); it never downloads one.
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
export UV_PYTHON_DOWNLOADS := never

# Reflex uses the bun installed from the npm registry into .tools/ (it cannot download its own).
export PATH := $(CURDIR)/$(TOOLS)/node_modules/.bin:$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_CHECK_LATEST_VERSION := 0
export REFLEX_TELEMETRY_ENABLED := false
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Wall-clock limit of one pytest run, so a hung test fails the build instead of
# eating CI's whole time budget.
TESTS_WALL_SECONDS ?= 1200
E2E_WALL_SECONDS ?= 1800

# $(call pytest_in,FOLDER,WALL_SECONDS,PREFIX,ARGS): run pytest on FOLDER,
# optionally under a PREFIX command. A FOLDER without test files yet is skipped
# (and said so); otherwise pytest's exit code 5 ("no tests collected") fails.
define pytest_in
	@if [ -z "$$(find $(1) -name 'test_*.py' -o -name '*_test.py' | head -n 1)" ]; then \
	  echo "No test files in $(1) yet: skipped."; exit 0; \
	fi; \
	status=0; timeout --foreground --kill-after=60 $(2) $(3) $(PY) -m pytest $(1) $(4) $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 124 ]; then \
	  echo "ERROR: pytest $(1) did not finish within $(2) seconds and was stopped." >&2; \
	elif [ $$status -eq 5 ]; then \
	  echo "ERROR: pytest collected no tests from $(1) although it holds test files." >&2; \
	fi; \
	exit $$status
endef

.PHONY: help
help: ## Show this help
	@echo "Talent Pool — make targets:"
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) \
	  | awk 'BEGIN {FS = ":.*## "}; {printf "  %-14s %s\n", $$1, $$2}'

.PHONY: install
install: $(VENV_STAMP) $(BUN_STAMP) ## Create .venv with the locked dependencies (uv.lock) and the project, and bun into .tools/

# --locked: stop if pyproject.toml changed without `make lock`.
$(VENV_STAMP): pyproject.toml uv.lock $(UV_STAMP)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(UV) sync --locked --extra test --python $(PY) --quiet
	@touch $@

$(UV_STAMP):
	@test -x $(TOOLS)/uv/bin/python || $(PYTHON) -m venv $(TOOLS)/uv
	$(TOOLS)/uv/bin/python -m pip install --quiet uv==$(UV_VERSION)
	@touch $@

.PHONY: lock
lock: $(UV_STAMP) ## Resolve pyproject.toml's dependencies again into uv.lock (after changing a pin)
	$(UV) lock

$(BUN_STAMP):
	npm install --prefix $(TOOLS) --no-audit --no-fund --save-exact --loglevel=error bun@$(BUN_VERSION)
	@$(TOOLS)/node_modules/.bin/bun --version >/dev/null
	@touch $@

.PHONY: browsers
browsers: ## Install Debian's Chromium for the browser tests if missing (uses apt-get)
	@if [ -x /usr/bin/chromium ]; then \
	  echo "Chromium is installed: /usr/bin/chromium"; \
	else \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	fi

.PHONY: cluster-tools
cluster-tools: ## Install Debian's PostgreSQL, Redis and nginx for the cluster if missing (uses apt-get)
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || missing="$$missing redis-server"; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	if [ -z "$$missing" ]; then \
	  echo "PostgreSQL, Redis and nginx are installed"; \
	else \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

.PHONY: run-cluster
run-cluster: install cluster-tools ## Run the multi-process topology (PostgreSQL, Redis, nginx, 2 of each process); Ctrl-C stops everything
	$(PY) -m backend.cluster run

.PHONY: run
run: install ## Run the app locally (BFF + Reflex, SQLite in var/); Ctrl-C stops everything
	$(PY) -m backend.stack run

.PHONY: test
test: install browsers cluster-tools lint test-sqlite test-postgres e2e test-cluster ## Run every test: the import contracts, unit/integration on SQLite and PostgreSQL, then browser tests on both topologies

.PHONY: test-sqlite
test-sqlite: install ## Unit and integration tests (tests/) on SQLite, a fresh file per test
	@echo "== tests/ on SQLite"
	$(call pytest_in,tests/,$(TESTS_WALL_SECONDS),env -u DATABASE_URL,)

.PHONY: test-postgres
test-postgres: install ## The same tests on a throwaway PostgreSQL server (always stopped afterwards)
	@echo "== tests/ on PostgreSQL"
	$(call pytest_in,tests/,$(TESTS_WALL_SECONDS),$(PY) tests/postgres_server.py run --,)

.PHONY: lint
lint: $(VENV_STAMP) ## Style (ruff), the import contracts in .importlinter, and mypy on backend/ and shared/
	@echo "== ruff: lint rules and formatting"
	$(PY) -m ruff check --no-cache .
	$(PY) -m ruff format --check --no-cache .
	@echo "== import contracts (.importlinter)"
	$(VENV)/bin/lint-imports --no-cache
	@echo "== mypy: backend/ and shared/ (configured in pyproject.toml)"
	$(PY) -m mypy

.PHONY: e2e
e2e: install browsers ## Browser tests (e2e/): Playwright + Chromium against the real stack
	@echo "== e2e/ in Chromium"
	$(call pytest_in,e2e/,$(E2E_WALL_SECONDS),env -u DATABASE_URL,$(E2E_ARGS))

.PHONY: test-cluster
test-cluster: install browsers cluster-tools ## Browser tests (e2e/) against the cluster topology, with its fault tests
	@echo "== e2e/ in Chromium against the cluster (PostgreSQL, Redis, nginx, replicas)"
	$(call pytest_in,e2e/,$(E2E_WALL_SECONDS),env -u DATABASE_URL TP_E2E_TOPOLOGY=cluster,$(E2E_ARGS) --output test-results/cluster)

.PHONY: bench
bench: install ## Run the benchmarks (bench/)
	@if [ -f bench/__main__.py ]; then \
	  $(PY) -m bench; \
	else \
	  echo "No benchmarks yet: bench/__main__.py does not exist."; \
	fi

.PHONY: clean
clean: ## Remove local data, logs, Reflex build output and test artefacts
	rm -rf var/ frontend/.web/ frontend/.states/ test-results/ .pytest_cache/
	find . -path ./$(VENV) -prune -o -path ./$(TOOLS) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

.PHONY: distclean
distclean: clean ## Also remove .venv/ and .tools/
	rm -rf $(VENV)/ $(TOOLS)/
