"""Running a daily run's command in processes of its own, on the test database, and watching them from it.

The concurrency tests of the disbursements and of the recurring expenses
start the same command twice at once, or kill one in the middle.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """The test database, as the role the tests use, for another process."""
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def command_start(command: str, *args: str, app_name: str) -> subprocess.Popen:
    """``manage.py command *args`` in its own process, its database session named ``app_name``."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PGAPPNAME": app_name,
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", command, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def waiting_on_a_lock(app_name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND wait_event_type = 'Lock'",
            [app_name],
        )
        return cursor.fetchone()[0] > 0


def wait_for_backend_gone(app_name: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [app_name])
            if cursor.fetchone()[0] == 0:
                return
        assert time.monotonic() < deadline, "the killed run's database session never ended"
        time.sleep(0.05)
