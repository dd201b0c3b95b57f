# ServiceLoop — the two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
# The first Python 3.11+ found; a missing one (or a pyenv shim without that version) stays silent.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
SL := $(BIN)/serviceloop
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# Compiled bytecode is kept, under var/pycache (never beside the sources, nor in the venv):
# where PYTHONDONTWRITEBYTECODE is set (as on the shared build machines), every Python process
# of `make test` (each pytest worker of both suites, each command a test starts, mypy's Django
# plugin, the lint's Django commands) compiled Django, NumPy, SciPy and the tests again:
# 18 CPU-s for a pytest worker to collect the suite without it, 7 with it; 5.7 → 3.2 CPU-s
# for a command to start (issue 8, item 6). `make clean` removes it with var/.
export PYTHONPYCACHEPREFIX ?= $(CURDIR)/var/pycache
export PYTHONDONTWRITEBYTECODE :=
# Debian packages the product needs: CJK fonts for PDFs, poppler to check them, gettext for i18n,
# chromium for the browser tests and libatomic1 for the node driver inside the playwright wheel.
OS_PACKAGES := fonts-noto-cjk poppler-utils gettext chromium libatomic1

.PHONY: run test lint test-sqlite test-postgres install os-packages clean

# uv installs the dependencies in a fraction of pip's time; pip is the fallback.
$(BIN)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11+ is required"; exit 1; }
	@test -x $(BIN)/python || { echo "Creating the virtualenv $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@echo "Installing ServiceLoop and its dependencies into $(VENV) (first run: a minute or two)"
	@if $(BIN)/python -m pip install -q uv >/dev/null 2>&1 && test -x $(BIN)/uv; then \
	  $(BIN)/uv pip install -q --python $(BIN)/python -e ".[dev]"; \
	else $(BIN)/python -m pip install -q -e ".[dev]" 2>&1 | grep -v -e "^WARNING: Location" -e "^$$" ; \
	  test "$${PIPESTATUS[0]}" = 0; fi
	@touch $@

install: $(BIN)/.installed

os-packages:
	@missing=$$(for p in $(OS_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing OS packages:" $$missing; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null \
	    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; }; \
	  else echo "Please install these Debian packages:" $$missing; fi; \
	fi

run: install
	@echo "Preparing the database (migrate, demo company)"
	@$(SL) migrate --noinput -v0
	@$(SL) demo
	@echo; echo "ServiceLoop: http://127.0.0.1:$(PORT)/  (log in with a demo login above)"; echo
	@$(SL) serve --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	cd . && $(BIN)/mypy serviceloop config
	DJANGO_SETTINGS_MODULE=config.settings.test $(SL) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production SERVICELOOP_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  SERVICELOOP_AUDIT_KEY=$$(head -c 48 /dev/urandom | base64) \
	  SERVICELOOP_DATA_DIR=$$(mktemp -d) $(SL) check --deploy --fail-level WARNING

test-sqlite: install
	$(BIN)/pytest -n 2 -p no:cacheprovider

# PostgreSQL (and Redis for the RQ end-to-end test): the servers at PG_URL and
# SERVICELOOP_REDIS_URL when they answer, else throw-away servers (.ci/services.py; installs the
# Debian packages as root). SERVICELOOP_SKIP_POSTGRES=1 skips, and the closing line says so.
test-postgres: install
	@$(BIN)/python .ci/services.py --pg-url '$(PG_URL)' --summary var/test-databases.txt -- \
	  $(BIN)/pytest -n 2 -p no:cacheprovider -m "not sqlite_only and not db_independent"

test: install os-packages lint test-sqlite test-postgres
	@echo "All checks passed: lint, type check, migrations; SQLite suite passed; $$(cat var/test-databases.txt)."

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Mutation testing of the procedure's rules (issue 17; not part of `make test`, it takes long):
# module by module, one child process, each against the tests that cover it; writes
# docs/mutation-report.md. `make mutation MODULES="deadlines permissions"` runs some of them.
.PHONY: mutation
mutation: install
	$(BIN)/python .ci/mutation.py $(MODULES)
