#!/usr/bin/env sh
# `make run`: the web server in the foreground, a Celery worker with embedded beat in
# the background (the database-stored schedule), both stopped together.
set -eu
PY="${PY:-.venv/bin/python}"
"$PY" -m celery -A casework worker --beat \
  --scheduler django_celery_beat.schedulers:DatabaseScheduler \
  --loglevel INFO --concurrency 1 &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true; wait "$WORKER" 2>/dev/null || true' EXIT INT TERM
"$PY" manage.py runserver "$1"
