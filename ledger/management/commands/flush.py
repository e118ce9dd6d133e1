"""``flush`` as the owner role, the one documented place where the tables of posted money may be emptied.

The application role may not TRUNCATE, and the tables that hold posted
money refuse TRUNCATE from anyone unless ``aire_ouverte.flush`` is on in
the session (ledger/migrations/0008). The test suite empties its database
between tests that commit, through this command.
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from config.database_roles import FLUSH_SETTING, as_owner


class Command(DjangoFlush):
    def handle(self, **options):
        alias = options["database"]
        with as_owner(alias):
            with connections[alias].cursor() as cursor:
                cursor.execute(f"SET {FLUSH_SETTING} = 'on'")
            try:
                return super().handle(**options)
            finally:
                connections[alias].close()
