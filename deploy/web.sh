#!/bin/sh
# The web service: docker-compose.yml's `web`, and CI's production smoke (.ci/production_smoke.py).
set -eu
python manage.py migrate --noinput
# Refuse to serve what would fail on every page (e.g. no static files manifest).
python manage.py check --deploy --fail-level ERROR
exec gunicorn --config deploy/gunicorn.conf.py casework.wsgi:application
