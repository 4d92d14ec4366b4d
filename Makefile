# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast mutate mutate-results install migrate demo lint audit format bench clean messages translations

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install translations
	$(PY) manage.py migrate --noinput

## The interface's translations: each locale/<lang>/LC_MESSAGES/django.mo is compiled from
## its .po when the .po is newer (GNU gettext's msgfmt; the .mo is never kept in git).
## Without msgfmt Casework still runs, in English, and says how to get the translations.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

translations: $(MO_FILES)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	@if command -v msgfmt >/dev/null 2>&1; then \
	  echo "msgfmt $< -> $@"; msgfmt --check-format -o $@ $<; \
	else \
	  echo "*** msgfmt (GNU gettext) is not installed: the interface stays in English."; \
	  echo "*** Install it (Debian: apt-get install gettext) and run make again."; \
	fi

## Collect the interface's messages into locale/ko/LC_MESSAGES/django.po (then translate
## the new entries, and `make translations` or `make run` compiles them).
messages: install
	$(PY) manage.py makemessages -l ko --add-location file -i ".venv/*" -i "casework_dev/*" \
	  -i "tests/*" -i "mutants/*" -i "var/*" -i "static/vendor/*"

demo: migrate
	$(PY) manage.py seed_demo

## Start Casework on http://$(HOST):$(PORT) with demo data (SQLite, no servers needed).
## A Celery worker with beat runs alongside (embedded broker unless REDIS_URL is set).
run: demo
	$(PY) manage.py run_reminders
	@# The worker (with beat and the database-stored schedule) stops with the web server.
	$(PY) -m celery -A casework worker --beat \
	  --scheduler django_celery_beat.schedulers:DatabaseScheduler \
	  --loglevel INFO --concurrency 1 & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null; wait $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## Run the whole test suite (SQLite unless DATABASE_URL says otherwise).
test: install translations
	$(PY) -m pytest

## For daily work: the suite without the real browser and without Redis or a real worker.
## CI still runs everything (`make test` with the services present).
test-fast: install translations
	$(PY) -m pytest -m "not browser and not redis"

## Mutation testing of the rule modules ([tool.mutmut] in pyproject.toml, docs/mutation.md):
## who sees which case, the custody-event check, export neutralisation, consent-aware
## naming and the status facts. `make mutate-results` lists the survivors.
MUTANTS := "casework.cases.permissions.*" "casework.cases.services.x_custody_event_check__*" \
	"casework.board.exports.x_cell_neutralise__*" "casework.letters.context.x_naming_allowed__*" \
	"casework.cases.state.*"
mutate: install
	rm -rf mutants
	@# On SQLite whatever DATABASE_URL says: the mutants share one reused test database.
	env -u DATABASE_URL $(VENV)/bin/mutmut run --max-children 2 $(MUTANTS)

mutate-results: install
	$(VENV)/bin/mutmut results

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## Security audit: bandit on our code, pip-audit on the dependencies (allow-lists in
## pyproject.toml [tool.bandit] / `# nosec` comments and .pip-audit-ignore, with reasons).
audit: install
	$(VENV)/bin/bandit -c pyproject.toml -q -r casework
	$(PY) .ci/pip_audit.py

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Time the pages on BENCH_PERSONS synthetic people (default 100000): SQLite, and
## PostgreSQL too when DATABASE_URL points at it (a database of its own: it gets seeded).
bench: install
	$(PY) -m casework_dev.bench

clean:
	rm -rf $(VENV) mutants var db.sqlite3 db.sqlite3-wal db.sqlite3-shm
