"""Settings of the test suite: the real ones, with what makes tests fast.

``make test`` starts PostgreSQL and Redis and sets ``DATABASE_URL`` and
``REDIS_URL``; without them the suite still runs on SQLite, and the tests
that need a server say so (under ``CI=true`` they fail instead).
"""

import os

os.environ.setdefault("DEBUG", "1")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
