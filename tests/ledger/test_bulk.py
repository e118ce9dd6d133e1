from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from moneyed import Money

from ledger.bulk import TransactionRow, postings_insert
from ledger.models import Entry, Transaction, TransactionKind

pytestmark = pytest.mark.django_db

DAY = date(2025, 6, 16)


def row(key: str, *, day: date = DAY, period: int = 2025) -> TransactionRow:
    return TransactionRow(
        date=day,
        period=period,
        kind=TransactionKind.ADJUSTMENT,
        memo="Versement",
        idempotency_key=key,
        request_hash="0" * 64,
        posted_by=None,
        reverses=None,
    )


def lines(key: str, cash, party_account) -> list[tuple[str, int, Money]]:
    return [(key, cash.pk, Money("-12.50", "CAD")), (key, party_account.pk, Money("12.50", "CAD"))]


def test_the_logged_posting_statement_shows_its_text_and_values(cash, party_account):
    with CaptureQueriesContext(connection) as captured:
        inserted = postings_insert([row("logged")], lines("logged", cash, party_account))
    [query] = captured.captured_queries
    assert query["sql"].startswith('WITH posted AS ( INSERT INTO "ledger_transaction"')
    assert 'INSERT INTO "ledger_entry"' in query["sql"]
    assert "'logged'" in query["sql"] and "-12.50" in query["sql"]
    assert list(inserted) == ["logged"]
    assert Entry.objects.filter(transaction=inserted["logged"]).count() == 2


def test_a_posting_statement_goes_through_the_execute_wrappers(cash, party_account):
    seen = []

    def spy(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        postings_insert([row("wrapped")], lines("wrapped", cash, party_account))
    assert [sql.split(" (")[0] for sql in seen] == ["WITH posted AS"]


def test_a_posting_unlogged_writes_once_per_key_and_leaves_nothing_in_the_log(cash, party_account):
    assert not connection.queries_logged
    queries_before = len(connection.queries_log)
    first = postings_insert([row("quiet")], lines("quiet", cash, party_account))
    again = postings_insert([row("quiet")], lines("quiet", cash, party_account))
    assert (list(first), again) == (["quiet"], {})
    assert len(connection.queries_log) == queries_before
    assert Transaction.objects.get(idempotency_key="quiet").pk == first["quiet"].pk
    assert Entry.objects.filter(transaction__idempotency_key="quiet").count() == 2


def test_an_error_of_the_unlogged_statement_is_djangos_and_writes_nothing(cash, party_account):
    with pytest.raises(IntegrityError), transaction.atomic():
        postings_insert([row("outside", period=2024)], lines("outside", cash, party_account))
    assert not Transaction.objects.filter(idempotency_key="outside").exists()


def test_an_inserted_transaction_comes_back_as_read_from_the_database(cash, party_account):
    inserted = postings_insert([row("read")], lines("read", cash, party_account))["read"]
    stored = Transaction.objects.get(idempotency_key="read")
    assert not inserted._state.adding
    assert [getattr(inserted, field.attname) for field in Transaction._meta.concrete_fields] == [
        getattr(stored, field.attname) for field in Transaction._meta.concrete_fields
    ]
