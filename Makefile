# Set-up and everyday commands. Everything works on a machine with only Python 3.11 and make.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
# Exact versions with hashes of everything pyproject.toml's ranges allow (`make lock` refreshes it).
LOCK := requirements.lock
LOCK_COMPILE = $(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
	--python-version 3.11 --quiet

.PHONY: run test install migrate demo lint format clean serve-prod test-e2e e2e-deps screenshots bench
.PHONY: lock lock-check typecheck

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

# The first run downloads every package in $(LOCK) (about 200 MB); later runs install nothing.
$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install -qq --upgrade pip
	$(BIN)/python -m pip install -qq --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install -qq --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_content --site 127.0.0.1:$(PORT)
	$(BIN)/python manage.py ensure_admin

run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/)"
	WAGTAILADMIN_BASE_URL=$${WAGTAILADMIN_BASE_URL:-http://127.0.0.1:$(PORT)} \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production stack on this machine: needs SECRET_KEY and ALLOWED_HOSTS (docs/deploy.md);
# SECURE_SSL_REDIRECT=false when there is no HTTPS proxy in front.
serve-prod: PROD := DJANGO_SETTINGS_MODULE=site_config.settings.production
serve-prod: install
	$(PROD) $(BIN)/python manage.py collectstatic --noinput -v 0
	$(PROD) $(BIN)/python manage.py migrate --noinput
	$(PROD) $(BIN)/gunicorn -c gunicorn.conf.py

# COVERAGE=1 (CI's first pass) measures line coverage of the app code, prints it, and fails
# under 90% ([tool.coverage] in pyproject.toml).
COV_ARGS = $(if $(COVERAGE),--cov --cov-report=term-missing:skip-covered --cov-fail-under=90)

# The suite runs in pytest-xdist workers, one per core (JOBS=2 sets the number; JOBS=0 runs it
# in a single process). Each worker has its own test database and Redis database.
JOBS ?= auto
PYTEST = $(BIN)/python -m pytest -n $(JOBS)

# The whole suite. The browser tests need chromium and npm: where either is missing (a machine
# with only Python and make), they are left out with a notice, unless REQUIRE_E2E=1 (as in CI),
# which turns that into an error.
test: install
	@if command -v chromium >/dev/null && command -v npm >/dev/null; then \
		$(MAKE) --no-print-directory e2e-deps && $(PYTEST) $(COV_ARGS) $(PYTEST_ARGS); \
	elif [ -n "$(REQUIRE_E2E)" ]; then \
		$(MAKE) --no-print-directory e2e-deps; \
	else \
		echo "NOTICE: browser tests (tests/e2e) not run: install chromium and npm (apt-get install chromium npm) to include them." >&2; \
		$(PYTEST) -m "not e2e" $(COV_ARGS) $(PYTEST_ARGS); \
	fi

# Browser tests (tests/e2e): Debian's chromium driven by playwright, axe-core from npm.
E2E_DIR := build/e2e
AXE_JS := $(E2E_DIR)/node_modules/axe-core/axe.min.js

$(AXE_JS): tests/e2e/package.json tests/e2e/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: the browser tests need it for axe-core; run: apt-get install npm" >&2; exit 1; }
	mkdir -p $(E2E_DIR)
	cp tests/e2e/package.json tests/e2e/package-lock.json $(E2E_DIR)/
	cd $(E2E_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

e2e-deps: $(AXE_JS)
	@command -v chromium >/dev/null || { echo "chromium not found: the browser tests need it; run: apt-get install chromium" >&2; exit 1; }

test-e2e: install e2e-deps
	$(PYTEST) -m e2e $(PYTEST_ARGS)

# Refresh docs/screenshots/ from the screenshots the browser tests save in build/screenshots/.
screenshots: install e2e-deps
	rm -rf build/screenshots
	$(BIN)/python -m pytest -q -m e2e -k screenshot $(PYTEST_ARGS)
	mkdir -p docs/screenshots
	cp build/screenshots/*.png docs/screenshots/

# Query counts and throughput of the API against its performance bounds (benchmarks/run.py):
# a throwaway database, gunicorn with 2 workers on 127.0.0.1; exits non-zero on a missed bound.
bench: install
	$(BIN)/python benchmarks/run.py

lint: install lock-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Resolve pyproject.toml's ranges again, keeping the locked versions that still fit.
lock: install
	cp $(LOCK) $(VENV)/lock.tmp
	$(LOCK_COMPILE) -o $(VENV)/lock.tmp
	sed 's|$(VENV)/lock.tmp|$(LOCK)|' $(VENV)/lock.tmp >$(LOCK)
	rm $(VENV)/lock.tmp

# Fails when pyproject.toml asks for something $(LOCK) does not hold (run `make lock`).
lock-check: install
	cp $(LOCK) $(VENV)/lock.tmp
	$(LOCK_COMPILE) -o $(VENV)/lock.tmp
	@sed 's|$(VENV)/lock.tmp|$(LOCK)|' $(VENV)/lock.tmp | diff -u $(LOCK) - || \
		{ echo "$(LOCK) does not match pyproject.toml: run make lock" >&2; rm $(VENV)/lock.tmp; exit 1; }
	@rm $(VENV)/lock.tmp
	@echo "$(LOCK) matches pyproject.toml"

typecheck: install
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
