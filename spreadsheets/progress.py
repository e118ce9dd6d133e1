"""A background import's progress, written to its job's row as the import runs.

The import itself is one database transaction, committed only at its end;
its progress is written on a connection of its own, in autocommit, so any
process (the admin's progress bar, under ``make run`` or in production)
reads it from the job's row while the import runs.
"""

from types import TracebackType

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections

from spreadsheets.models import ImportJob


class ProgressWriter:
    """Writes the rows read so far to the job's row, committed at once; use it as a context manager."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.connection: psycopg.Connection | None = None

    def __enter__(self) -> "ProgressWriter":
        params = connections[DEFAULT_DB_ALIAS].get_connection_params()
        self.connection = psycopg.connect(**params, autocommit=True)
        return self

    def __call__(self, rows: int) -> None:
        table = ImportJob._meta.db_table
        self.connection.execute(  # type: ignore[union-attr]  # opened by __enter__
            f"UPDATE {table} SET processed_rows = %s WHERE id = %s", [rows, self.job_id]
        )

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if self.connection is not None:
            self.connection.close()
