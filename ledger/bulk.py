"""Raw inserts of the ledger's rows, for the posting service alone.

The posting service checks every request, then writes its transactions and
their entries here in one statement a batch, whatever their number; the
database's triggers check them again (each entry against its account and
transaction at the end of the statement, each transaction's balance at
commit) and add the entries to their accounts' balances. Nothing else writes
transactions or entries.
"""

import sys
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

import psycopg
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from moneyed import Money

from ledger.models import Entry, Transaction

INSERT_BATCH = 1000
UNNEST_FROM = 20
PREPARE_ONLY_WHEN_ASKED = sys.maxsize


class TransactionRow(NamedTuple):
    """A transaction to insert, its fields in the order of the posting statement's columns."""

    date: date
    period: int
    kind: str
    memo: str
    idempotency_key: str
    request_hash: str
    posted_by: int | None
    reverses: int | None


TRANSACTION_COLUMNS = TransactionRow._fields
TRANSACTION_ATTNAMES = [Transaction._meta.get_field(name).attname for name in TRANSACTION_COLUMNS]
TRANSACTION_FIELDS = [field.attname for field in Transaction._meta.concrete_fields]


def _rows_sql(casts: Sequence[str], count: int) -> str:
    """A table of ``count`` rows of parameters, each column cast.

    For many rows PostgreSQL takes each column as one array (``unnest``): a
    handful of parameters whatever the number of rows, where a ``VALUES``
    list would make the driver parse thousands of placeholders. The arrays
    are sent in binary (``%b``): as text the driver would test every string
    for quoting, and the server parse it back. A few rows, the common single
    posting, get the ``VALUES`` list, cheaper to build.
    """
    if count >= UNNEST_FROM:
        return f"unnest({', '.join(f'%b::{cast}[]' for cast in casts)})"
    row = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    return f"(VALUES {', '.join([row] * count)})"


def _rows_params(rows: list[tuple]) -> list:
    """The parameters of :func:`_rows_sql` for these rows."""
    if len(rows) >= UNNEST_FROM:
        return [list(column) for column in zip(*rows)]
    return [value for row in rows for value in row]


class _PreparedCursor(psycopg.Cursor):
    """A cursor whose statements the server parses and plans once per connection, then only binds and runs.

    Planning the posting statement (a ``WITH`` of two inserts, their
    triggers and foreign keys) costs about as much as running it, and
    Django's own cursors never prepare (they bind the parameters on the
    client, so that connection poolers in transaction mode keep working).
    The posting statements are few and always the same, so they are
    prepared on each connection: one needs a pooler that keeps prepared
    statements (PgBouncer 1.21 or later) or none, as the site runs.

    Rows come back in PostgreSQL's binary format, and a batch's arrays go
    in it (:func:`_rows_sql`).
    """

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=True)


class _LoggedCursor(CursorDebugWrapper):
    """Django's debug cursor, logging the statement with its parameters written in.

    Django logs what the driver sent, which for a statement prepared on the
    server is no text at all; ``CaptureQueriesContext`` and the debug
    toolbar show this text instead.
    """

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
            return CursorWrapper.execute(self, sql, params)


def _prepared_rows(sql: str, params: list) -> list[tuple]:
    """Run one posting statement prepared on the server; its rows.

    Its errors are Django's, as from any cursor. While Django logs queries
    (``DEBUG``, ``force_debug_cursor``) or wraps them (``execute_wrapper``),
    the statement goes through Django's cursor and is logged with its text;
    otherwise it goes to the driver directly, with only the checks that
    Django's cursor would make.
    """
    database = connections[DEFAULT_DB_ALIAS]
    database.close_if_health_check_failed()
    database.ensure_connection()
    if database.connection.prepare_threshold is None:
        # Django's default: psycopg then prepares nothing at all. A threshold
        # never reached lets this cursor's own ``prepare=True`` through and
        # leaves every other cursor as it was (Django's bind on the client).
        database.connection.prepare_threshold = PREPARE_ONLY_WHEN_ASKED
    if database.queries_logged or database.execute_wrappers:
        wrapper = _LoggedCursor if database.queries_logged else CursorWrapper
        with wrapper(_PreparedCursor(database.connection), database) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    database.validate_thread_sharing()
    database.validate_no_broken_transaction()
    with database.wrap_database_errors, _PreparedCursor(database.connection) as cursor:
        return cursor.execute(sql, params).fetchall()


@cache
def _posting_sql(transaction_count: int, line_count: int) -> str:
    """Insert transactions and, for those inserted, their lines as entries; return the inserted ones.

    A transaction is posted at the start of its database transaction,
    ``now()``, which the database's trigger checks its entries against.

    Counts from ``UNNEST_FROM`` up all give the same statement, so that the
    cache holds a few hundred statements at most.
    """
    quote = connection.ops.quote_name
    fields = [Transaction._meta.get_field(name) for name in TRANSACTION_COLUMNS]
    requests = _rows_sql([field.cast_db_type(connection) for field in fields], transaction_count)
    lines = _rows_sql(["text", "bigint", "numeric", "text"], line_count)
    entry_columns = ", ".join(
        quote(Entry._meta.get_field(name).column) for name in ("transaction", "account", "amount", "amount_currency", "date")
    )
    key = quote(Transaction._meta.get_field("idempotency_key").column)
    return (
        f"WITH posted AS ("
        f" INSERT INTO {quote(Transaction._meta.db_table)}"
        f" ({', '.join(quote(field.column) for field in fields)}, {quote('posted_at')})"
        f" SELECT request.*, now() FROM {requests} AS request"
        f" ON CONFLICT ({key}) DO NOTHING"
        f" RETURNING {quote('id')}, {key}, {quote('posted_at')}, {quote('date')}"
        f"), entries AS ("
        f" INSERT INTO {quote(Entry._meta.db_table)} ({entry_columns})"
        f" SELECT posted.{quote('id')}, line.account_id, line.amount, line.currency, posted.{quote('date')}"
        f" FROM {lines} AS line (key, account_id, amount, currency) JOIN posted ON posted.{key} = line.key"
        f") SELECT {key}, {quote('id')}, {quote('posted_at')} FROM posted"
    )


def _loaded(row: TransactionRow, pk: int, posted_at: datetime) -> Transaction:
    """The transaction inserted from this row, as if read back from the database."""
    values = dict(zip(TRANSACTION_ATTNAMES, row), id=pk, posted_at=posted_at)
    return Transaction.from_db(DEFAULT_DB_ALIAS, TRANSACTION_FIELDS, [values[name] for name in TRANSACTION_FIELDS])


def postings_insert(
    transactions: Sequence[TransactionRow], lines: Sequence[tuple[str, int, Money]]
) -> dict[str, Transaction]:
    """Insert the transactions whose key is free with their lines; return those inserted by key.

    ``lines`` are (idempotency key, account id, amount): each transaction
    and its entries go in one statement (a data-modifying ``WITH``), and the
    lines of a transaction whose key is taken are not written.
    ``INSERT ... ON CONFLICT DO NOTHING`` waits for a concurrent insert of
    the same key to commit or roll back, then skips or inserts: two workers
    posting the same thing never both write it, and neither needs a
    savepoint or an exception to find out.
    """
    lines_by_key: dict[str, list[tuple[str, int, Money]]] = defaultdict(list)
    for line in lines:
        lines_by_key[line[0]].append(line)
    inserted: dict[str, Transaction] = {}
    for start in range(0, len(transactions), INSERT_BATCH):
        batch = transactions[start : start + INSERT_BATCH]
        entry_rows = [
            (key, account_id, amount.amount, amount.currency.code)
            for row in batch
            for key, account_id, amount in lines_by_key[row.idempotency_key]
        ]
        ids = {
            key: (pk, posted_at)
            for key, pk, posted_at in _prepared_rows(
                _posting_sql(min(len(batch), UNNEST_FROM), min(len(entry_rows), UNNEST_FROM)),
                [*_rows_params(batch), *_rows_params(entry_rows)],
            )
        }
        inserted |= {
            row.idempotency_key: _loaded(row, *ids[row.idempotency_key]) for row in batch if row.idempotency_key in ids
        }
    return inserted
