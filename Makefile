# Rabfang: two commands.
#   make run   - everything on embedded defaults (a private PostgreSQL, filesystem broker), with demo data
#   make test  - the whole suite against the real PostgreSQL and Redis

PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Test services: TEST_* if set, else the local defaults. Never DATABASE_URL / REDIS_URL: a shell set up
# for a real installation must not hand its Redis to the suite, which empties the databases it is given.
# (The suite creates its own test_<name> PostgreSQL database; it never touches the named one's tables.)
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
TEST_REDIS_URL    ?= redis://127.0.0.1:6379/1
TEST_BROKER_URL   ?= redis://127.0.0.1:6379/2

CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test smoke bench venv messages check-services browser pdf-tools mail-server clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[run,test,bench]"
	touch $(STAMP)

venv: $(STAMP)

messages: $(STAMP)
	$(BIN)/pybabel -q compile -d locale -D django

run: venv messages browser
	exec bash scripts/run.sh

check-services: venv
	@DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" $(BIN)/python scripts/check_services.py

# Debian's Chromium prints the reports' PDF and is what the browser tests drive through Playwright (no browser
# download); the tests read the PDF back with poppler's pdftotext and pdftoppm.
browser:
	@[ -x "$(CHROMIUM)" ] || (echo "Installing Debian's chromium (report PDFs, browser tests)" && \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium)

pdf-tools:
	@command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || (echo "Installing poppler-utils" && \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q poppler-utils)

# A real IMAP server for the mailbox channel's tests, started by them on a free port (tests/servers.py).
mail-server:
	@command -v dovecot >/dev/null || (echo "Installing Debian's dovecot-imapd (the mailbox tests' IMAP server)" && \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q dovecot-imapd)

test: venv messages check-services browser pdf-tools mail-server
	$(BIN)/ruff check .
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" CELERY_BROKER_URL="$(TEST_BROKER_URL)" \
		TEST_REDIS_URLS="$(TEST_REDIS_URL) $(TEST_BROKER_URL)" \
		RABFANG_VAR_DIR="$(CURDIR)/var/test" CHROMIUM_PATH="$(CHROMIUM)" $(BIN)/pytest $(PYTEST_ARGS)

# What `make run` does, checked end to end on the embedded PostgreSQL and the filesystem broker: migrate,
# seed, an intake routed by the worker, the public lookup (scripts/smoke_run.py; CI runs it after the suite).
smoke: venv messages
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL $(BIN)/python scripts/smoke_run.py

bench: venv messages check-services
	@command -v wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
