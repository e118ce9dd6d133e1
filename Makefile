# The two commands of a new machine are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test bench messages check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

## Install, migrate, load the demo territory and serve the back office with its scheduler.
run: $(VENV)/.installed
	mkdir -p var/celery/processed var/private
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --no-input
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo
	DEBUG=$${DEBUG:-1} PORT=$(PORT) scripts/serve

## Run the whole suite against a PostgreSQL and a Redis started for it.
test: $(VENV)/.installed-dev
	scripts/with-services $(BIN)/python -m pytest $(PYTEST_ARGS)

## Run every benchmark against a PostgreSQL and a Redis started for them.
bench: $(VENV)/.installed-dev
	scripts/with-services --durable scripts/bench-all

## Extract the strings to translate and compile both catalogues.
messages: $(VENV)/.installed-dev
	# English reads as written: its catalogue is made anew, each entry its own text.
	rm -f locale/en/LC_MESSAGES/django.po
	DEBUG=1 $(BIN)/python manage.py makemessages --locale fr --locale en --no-obsolete --no-location --ignore=.venv --ignore=tests --ignore=bench
	msgen --output-file=locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=$(VENV)

check: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=1 $(BIN)/python manage.py check

clean:
	rm -rf $(VENV) var
