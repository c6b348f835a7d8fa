# Retail helpdesk: developer entry points.
#
#   make run      Try it: bootstrap .venv, migrate, load the demo data (prints the demo
#                 logins) and serve on http://0.0.0.0:$PORT with daphne (HTTP +
#                 websockets). With no environment this is the embedded quick-start:
#                 SQLite at var/helpdesk.sqlite3, in-memory channel layer, Celery tasks
#                 run eagerly. DATABASE_URL / REDIS_URL / ALLOWED_HOSTS / ... from the
#                 environment (or .env, see .env.example) are honoured. DEBUG stays off;
#                 static files are served by WhiteNoise.
#   make test     The test suite (scripts/run-tests.sh): starts throwaway PostgreSQL and
#                 Redis, runs ruff and pytest. Pass pytest arguments with ARGS="...".
#   make lint     ruff check.
#   make bench    python -m bench $ARGS  (e.g. make bench ARGS="--help").
#   make services Start throwaway PostgreSQL + Redis and print `export ...` lines:
#                   eval "$(make -s services)"
#                 and stop them later with
#                   make services-stop   (uses $HELPDESK_TEST_SERVICES_DIR)
#
# Variables: PORT (default 8000), HOST (default 0.0.0.0), ARGS.

PORT ?= 8000
HOST ?= 0.0.0.0
ARGS ?=
VENV := .venv
PY := $(VENV)/bin/python

.DEFAULT_GOAL := help
.PHONY: help bootstrap run test lint bench services services-stop

help:
	@sed -n '1,/^$$/{s/^# \{0,1\}//;p}' $(firstword $(MAKEFILE_LIST))

bootstrap:
	@bash scripts/bootstrap.sh

run: bootstrap
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_demo
	exec $(VENV)/bin/daphne -b $(HOST) -p $(PORT) helpdesk.asgi:application

test:
	@bash scripts/run-tests.sh $(ARGS)

lint: bootstrap
	$(VENV)/bin/ruff check .

bench: bootstrap
	$(PY) -m bench $(ARGS)

services:
	@bash scripts/test-services.sh start

services-stop:
	@bash scripts/test-services.sh stop "$(HELPDESK_TEST_SERVICES_DIR)"
