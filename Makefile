# Rabfang: two commands.
#   make run   - everything on embedded defaults (SQLite, filesystem broker), with demo data
#   make test  - the whole suite against the real PostgreSQL and Redis

PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Test services; override in the environment.
# Test services: TEST_* if set, else DATABASE_URL / REDIS_URL, else the local defaults.
# (The suite creates its own test_<name> database; it never touches the named one's tables.)
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/postgres)
TEST_REDIS_URL    ?= $(or $(REDIS_URL),redis://127.0.0.1:6379/1)
TEST_BROKER_URL   ?= $(or $(CELERY_BROKER_URL),redis://127.0.0.1:6379/2)

CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench venv messages migrate check-services browser clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test,bench]"
	touch $(STAMP)

venv: $(STAMP)

messages: $(STAMP)
	$(BIN)/pybabel -q compile -d locale -D django

run: venv messages
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py collectstatic --no-input -v 0
	exec bash scripts/run.sh

check-services: venv
	@DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" $(BIN)/python scripts/check_services.py

# The portal's browser tests drive Debian's Chromium through Playwright (no browser download).
browser:
	@[ -x "$(CHROMIUM)" ] || (echo "Installing Debian's chromium for the portal's browser tests" && \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium)

test: venv messages check-services browser
	$(BIN)/ruff check .
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" CELERY_BROKER_URL="$(TEST_BROKER_URL)" \
		RABFANG_VAR_DIR="$(CURDIR)/var/test" CHROMIUM_PATH="$(CHROMIUM)" $(BIN)/pytest $(PYTEST_ARGS)

bench: venv messages check-services
	@command -v wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
