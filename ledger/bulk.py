"""Raw inserts of the ledger's rows, for the posting service alone.

The posting service checks every request, then writes its rows here in a
handful of statements whatever their number; the database's triggers check
them again at commit. Nothing else writes transactions or entries.
"""

from collections.abc import Sequence
from datetime import date, datetime

from django.db import connection, models
from moneyed import Money

from ledger.models import Entry, Transaction

INSERT_BATCH = 1000
UNNEST_FROM = 20


def rows_insert(model: type[models.Model], field_names: Sequence[str], rows: list[tuple], suffix: str = "") -> list[tuple]:
    """Insert rows of plain column values with one statement a batch; return what ``suffix`` returns.

    For many rows PostgreSQL takes each column as one array (``INSERT ...
    SELECT FROM unnest(...)``): a statement of a handful of parameters
    whatever the number of rows, where a ``VALUES`` list would make the
    driver parse thousands of placeholders. A few rows, the common single
    posting, get the ``VALUES`` list, cheaper to build.
    """
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in field_names]
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
    returned: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            if len(batch) >= UNNEST_FROM:
                arrays = ", ".join(f"%s::{field.cast_db_type(connection)}[]" for field in fields)
                cursor.execute(f"{head}SELECT * FROM unnest({arrays}) {suffix}", [list(column) for column in zip(*batch)])
            else:
                placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
                values = [
                    field.get_db_prep_save(value, connection) for row in batch for field, value in zip(fields, row)
                ]
                cursor.execute(f"{head}VALUES {', '.join([placeholders] * len(batch))} {suffix}", values)
            if suffix:
                returned += cursor.fetchall()
    return returned


TRANSACTION_COLUMNS = (
    "date",
    "period",
    "kind",
    "memo",
    "idempotency_key",
    "request_hash",
    "posted_at",
    "posted_by",
    "reverses",
)


def transactions_insert_unless_keys_exist(rows: list[Transaction]) -> dict[str, tuple[int, datetime]]:
    """Insert the transaction rows whose key is free; return their ids and posting times by key.

    ``INSERT ... ON CONFLICT DO NOTHING`` waits for a concurrent insert of the
    same key to commit or roll back, then skips or inserts: two workers
    posting the same thing never both write it, and neither needs a savepoint
    or an exception to find out.
    """
    quote = connection.ops.quote_name
    key_column = quote(Transaction._meta.get_field("idempotency_key").column)
    inserted = rows_insert(
        Transaction,
        TRANSACTION_COLUMNS,
        [
            (
                row.date,
                row.period_id,
                row.kind,
                row.memo,
                row.idempotency_key,
                row.request_hash,
                row.posted_at,
                row.posted_by_id,
                row.reverses_id,
            )
            for row in rows
        ],
        suffix=f"ON CONFLICT ({key_column}) DO NOTHING RETURNING {quote('id')}, {key_column}, {quote('posted_at')}",
    )
    return {key: (pk, posted_at) for pk, key, posted_at in inserted}


def entries_insert(rows: list[tuple[int, int, Money, date]]) -> None:
    """Insert the entries; no one needs their ids back, which ``bulk_create`` would fetch."""
    rows_insert(
        Entry,
        ("transaction", "account", "amount", "amount_currency", "date"),
        [(txn_id, account_id, amount.amount, amount.currency.code, day) for txn_id, account_id, amount, day in rows],
    )
