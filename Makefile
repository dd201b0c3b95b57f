# ServiceLoop — the two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
SL := $(BIN)/serviceloop
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# Debian packages the product needs: CJK fonts for PDFs, poppler to check them, gettext for i18n.
OS_PACKAGES := fonts-noto-cjk poppler-utils gettext

.PHONY: run test lint test-sqlite test-postgres install os-packages clean

$(BIN)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11+ is required"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

install: $(BIN)/.installed

os-packages:
	@missing=$$(for p in $(OS_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing OS packages: $$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null \
	    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; }; \
	  else echo "Please install these Debian packages: $$missing"; fi; \
	fi

run: install
	$(SL) migrate --noinput -v0
	$(SL) demo
	@echo; echo "ServiceLoop: http://127.0.0.1:$(PORT)/  (log in with a demo login above)"; echo
	$(SL) serve --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	cd . && $(BIN)/mypy serviceloop config
	DJANGO_SETTINGS_MODULE=config.settings.test $(SL) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production SERVICELOOP_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  SERVICELOOP_DATA_DIR=$$(mktemp -d) $(SL) check --deploy --fail-level WARNING

test-sqlite: install
	$(BIN)/pytest -n 2 -p no:cacheprovider

test-postgres: install
	@if ! $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "PostgreSQL is not reachable at $(PG_URL); trying to start it"; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql 2>/dev/null | head -1) main start 2>/dev/null || true; sleep 2; fi
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  SERVICELOOP_DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 -p no:cacheprovider -m "not sqlite_only"; \
	elif [ -n "$$SERVICELOOP_SKIP_POSTGRES" ]; then echo "SKIPPED: PostgreSQL suite (SERVICELOOP_SKIP_POSTGRES set)"; \
	else echo "PostgreSQL is required for the test suite (set SERVICELOOP_SKIP_POSTGRES=1 to skip)"; exit 1; fi

test: install os-packages lint test-sqlite test-postgres
	@echo "All checks passed (lint, SQLite suite, PostgreSQL suite)."

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
