"""A workstation's settings: ``manage.py`` and ``make run`` load them.

Debugging on, mail written to files under ``var/mail/`` (one per message,
readable with any text editor; ``scripts/serve`` says where), and the database of
``DATABASE_URL`` or, when it is unset, the embedded PostgreSQL that ``make
run`` keeps under ``var/postgres`` (started here if it is not running, so a
``manage.py`` command in another shell reaches the same data; ``make run``'s
Ctrl-C or ``make clean`` stops it).
"""

import os

from config.local_postgres import LocalPostgresError, server_start
from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR, database_from_url, env_bool, env_list

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "development-only-key-never-used-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    try:
        server = server_start(data_dir=VAR_DIR / "postgres", choice=os.environ.get("PG_BIN") or "embedded")
        DATABASES = {"default": database_from_url(server.url)}
        DATABASE_OWNER_URL = server.owner_url
    except LocalPostgresError as error:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"The embedded PostgreSQL of var/postgres did not start: {error}") from error

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
SITE_URL = os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
