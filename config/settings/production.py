"""Production: the image, wsgi, the worker and the scheduler load these.

They refuse to start without a ``DATABASE_URL`` or an https ``SITE_URL``,
or without a ``SECRET_KEY`` or with the placeholder of ``.env.example`` or a weak one, and
pass ``manage.py check --deploy``. Behind the proxy, HTTPS is told by its
``X-Forwarded-Proto`` header.
"""

import os

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import MIDDLEWARE, STORAGES, database_from_url, env_bool

DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production: give a long random SECRET_KEY.")
# Whoever knows the key forges sessions, password-reset links and signed values.
# The placeholders of .env.example start with "change-me" and are public; a weak key
# (Django's security.W009) is only a warning of `check --deploy`, which nothing runs at start-up.
if SECRET_KEY.startswith("change-me"):
    raise ImproperlyConfigured(
        "SECRET_KEY is still the placeholder of .env.example: give a long random SECRET_KEY, "
        "e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe(64))'."
    )
if (
    len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
    or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    or SECRET_KEY.startswith(SECRET_KEY_INSECURE_PREFIX)
):
    raise ImproperlyConfigured(
        f"SECRET_KEY is weak: it needs at least {SECRET_KEY_MIN_LENGTH} characters, at least "
        f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones, and no {SECRET_KEY_INSECURE_PREFIX!r} prefix; "
        "e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe(64))'."
    )

if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must be set in production, e.g. postgres://user:pass@host:5432/name.")
DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}

# The links of the emails are built from it; without it they would lead nowhere.
SITE_URL = os.environ.get("SITE_URL", "")
if not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "SITE_URL must be set in production to the site's https address, e.g. https://partenariat.example.org."
    )

# gunicorn serves the static files through WhiteNoise, compressed and with hashed names.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies in front of gunicorn (one nginx by default): the throttling of failed logins
# counts by the address that the outermost of them saw (config.login_throttle.client_address).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
