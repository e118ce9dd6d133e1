# One image serves the web, the worker and the scheduler.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 VAR_DIR=/app/var \
    DJANGO_SETTINGS_MODULE=config.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 app
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# Building needs settings but no database: the URL below is never opened. The key is
# thrown away after the build (the settings refuse a weak one, even here).
RUN DATABASE_URL=postgres://build-only@localhost/never-opened \
        sh -c 'export SECRET_KEY="$(python -c "import secrets; print(secrets.token_urlsafe(64))")" \
            && python manage.py compilemessages --ignore=.venv && python manage.py collectstatic --no-input' \
    && mkdir -p /app/var/private && chown -R app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
