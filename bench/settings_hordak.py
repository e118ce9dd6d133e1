"""Settings of the benchmarks that compare the ledger with django-hordak.

The test settings, plus hordak and the tree library it needs, kept in
Canadian dollars like the rest of the site. Hordak's triggers exist on
PostgreSQL only, so ``DATABASE_URL`` must name a PostgreSQL server.
"""

from django.core.exceptions import ImproperlyConfigured

from config.settings.test import *  # noqa: F403

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":  # noqa: F405
    raise ImproperlyConfigured("The benchmarks need PostgreSQL: set DATABASE_URL to a postgres:// URL.")

# Time what production runs: no query log kept per connection.
DEBUG = False

INSTALLED_APPS = [*INSTALLED_APPS, "mptt", "hordak"]  # noqa: F405

# Hordak reads these once, when its models are imported.
HORDAK_INTERNAL_CURRENCY = "CAD"
HORDAK_CURRENCIES = list(CURRENCIES)  # noqa: F405
HORDAK_DECIMAL_PLACES = 2
HORDAK_MAX_DIGITS = 13
