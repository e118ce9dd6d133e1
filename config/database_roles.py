"""Two database roles, as production databases keep them: an owner for the schema, an application role for rows.

The owner (``DATABASE_OWNER_URL``) creates the schema and runs the
migrations. The application (``DATABASE_URL``) owns nothing and is no
superuser: it may only read and write rows. So the guarantees the database
holds for the ledger (its triggers) cannot be switched off by the
application, whatever it runs: it may not disable or drop a trigger,
replace a trigger's function, set ``session_replication_role`` or TRUNCATE.

With one URL only (a simple set-up), everything runs as that role.

``manage.py migrate`` and ``flush`` switch to the owner for their run (their
commands in ``ledger/management/commands``); the test suite creates and
migrates its database as the owner and runs every test as the application.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import dj_database_url
from django.conf import settings
from django.db import connections

CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")
# Read by the BEFORE TRUNCATE triggers of the tables that hold posted money
# (ledger/migrations/0008): only the owner's flush of a test database sets it.
FLUSH_SETTING = "aire_ouverte.flush"


def owner_credentials() -> dict[str, object] | None:
    """The owner's user, password, host and port, or None when there is one role only."""
    url = getattr(settings, "DATABASE_OWNER_URL", "")
    if not url:
        return None
    parsed = dj_database_url.parse(url)
    return {key: parsed.get(key, "") for key in CREDENTIALS}


# The credentials each connection was configured with, those of the application role, kept at the first switch.
_configured: dict[str, dict[str, object]] = {}


def application_credentials(alias: str = "default") -> dict[str, object]:
    """The application role's user, password, host and port, whichever role the connection uses now."""
    return _configured.get(alias) or {key: connections[alias].settings_dict.get(key, "") for key in CREDENTIALS}


def credentials_switch(alias: str, credentials: dict[str, object]) -> dict[str, object]:
    """Make the connection ``alias`` log in with ``credentials`` from its next query; return the previous ones.

    The settings dictionary is shared by every thread's connection, so a
    thread that connects later uses the same role.
    """
    connection = connections[alias]
    previous = {key: connection.settings_dict.get(key, "") for key in CREDENTIALS}
    _configured.setdefault(alias, previous)
    if previous != credentials:
        connection.close()
        connection.settings_dict.update(credentials)
    return previous


@contextmanager
def as_owner(alias: str = "default") -> Iterator[bool]:
    """Run the block as the owner role; yields whether a separate owner role exists."""
    owner = owner_credentials()
    if owner is None:
        yield False
        return
    previous = credentials_switch(alias, owner)
    try:
        yield True
    finally:
        credentials_switch(alias, previous)


def application_privileges_grant(*, alias: str, application_role: str) -> None:
    """Give the application role what it may do in this database, now and for every table made later.

    Run as the owner, in each database (default privileges belong to one
    database): rows only, never TRUNCATE, never DDL. Sequences may also be
    set back (UPDATE allows ``setval``), which django-import-export does
    after a dry run so that a rehearsal leaves no gap in the ids.
    """
    role = connections[alias].ops.quote_name(application_role)
    with connections[alias].cursor() as cursor:
        for statement in (
            f"GRANT USAGE ON SCHEMA public TO {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
        ):
            cursor.execute(statement)
