# One image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

# Pango and CJK fonts: PDF letters in Korean and Chinese. libpq: PostgreSQL client tools
# for backups (pg_dump / pg_restore).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-noto-core fonts-nanum fonts-arphic-uming fonts-wqy-microhei postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 casework
WORKDIR /app

COPY pyproject.toml ./
COPY casework ./casework
RUN pip install .

COPY . .
RUN DJANGO_DEBUG=1 python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media && chown -R casework:casework /app/var

USER casework
EXPOSE 8000
CMD ["gunicorn", "casework.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--forwarded-allow-ips", "*"]
