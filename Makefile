# Set-up and everyday commands. Everything works on a machine with only Python 3.11 and make.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo lint format clean serve-prod

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -qq --upgrade pip
	$(BIN)/python -m pip install -qq -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py ensure_admin

run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production stack on this machine: needs SECRET_KEY and ALLOWED_HOSTS (docs/deploy.md);
# SECURE_SSL_REDIRECT=false when there is no HTTPS proxy in front.
serve-prod: PROD := DJANGO_SETTINGS_MODULE=site_config.settings.production
serve-prod: install
	$(PROD) $(BIN)/python manage.py collectstatic --noinput -v 0
	$(PROD) $(BIN)/python manage.py migrate --noinput
	$(PROD) $(BIN)/gunicorn -c gunicorn.conf.py

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
