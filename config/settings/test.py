"""The test suite's settings: the shared ones, with what makes tests fast.

``make test`` starts PostgreSQL and Redis and sets ``DATABASE_URL`` and
``REDIS_URL``; the suite runs on PostgreSQL only.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import database_from_url

DEBUG = False
SECRET_KEY = "test-only-key-never-used-in-production"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("The tests need PostgreSQL: run them with `make test`, or set DATABASE_URL.")
DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
DATABASES["default"]["CONN_MAX_AGE"] = 0

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "https://partenariat.example.org"
