"""Exactly once: the same posting asked for by many workers at once."""

import threading
from datetime import date

import pytest
from django.db import connection
from moneyed import Money

from ledger.models import Entry, Transaction, TransactionKind
from ledger.services import Line, transaction_post

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_eight_workers_posting_the_same_key_leave_one_transaction(cash, party_account):
    workers = 8
    start = threading.Barrier(workers)
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def post() -> None:
        try:
            start.wait()
            txn, created = transaction_post(
                lines=[Line(account=cash, amount=Money("-75.00", "CAD")), Line(account=party_account, amount=Money("75.00", "CAD"))],
                date=date(2025, 6, 1),
                kind=TransactionKind.ADJUSTMENT,
                idempotency_key="race:1",
            )
            results.append((txn.pk, created))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len({pk for pk, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert Transaction.objects.count() == 1
    assert Entry.objects.count() == 2
