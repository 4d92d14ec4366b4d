# One image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

# Pango and CJK fonts: PDF letters in Korean and Chinese. libpq: PostgreSQL client tools
# for backups (pg_dump / pg_restore). gettext: compiles the interface's translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-noto-core fonts-nanum fonts-arphic-uming fonts-wqy-microhei postgresql-client gettext \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 casework
WORKDIR /app

COPY pyproject.toml ./
COPY casework ./casework
RUN pip install .

COPY . .
# The interface's translations: locale/*/LC_MESSAGES/django.po to .mo (never kept in git).
RUN for po in locale/*/LC_MESSAGES/django.po; do msgfmt --check-format -o "${po%.po}.mo" "$po" || exit 1; done
# With the production settings, so the manifest storage writes the manifest every page
# needs outside DEBUG. They refuse to load without keys: throwaway ones, made here for
# this command alone and kept nowhere.
RUN DJANGO_DEBUG=0 \
    SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    FIELD_ENCRYPTION_KEYS="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    BLIND_INDEX_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(32))')" \
    python manage.py collectstatic --noinput
RUN mkdir -p /app/var/media /app/var/ledger && chown -R casework:casework /app/var

USER casework
EXPOSE 8000
# Migrate, check, then gunicorn with deploy/gunicorn.conf.py (as docker-compose.yml's web).
CMD ["sh", "deploy/web.sh"]
