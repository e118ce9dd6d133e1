"""A statement's lines in the reader's language, written from what each transaction records.

A memo is written once, in the language of whoever posted it, and the
ledger never changes it: a partner reading in English would see "Part de …
dans …, version 1". The statement's page, CSV and PDF all show the lines
of :func:`statement_in_words`.
"""

import dataclasses
from collections.abc import Iterable

from django.utils.translation import gettext as _

from grants.memos import grant_memos
from ledger.models import Transaction, TransactionKind
from ledger.selectors import Statement
from sharedcosts.memos import pool_memos

RECORDED = ("kind", "idempotency_key", "reverses_id")


def statement_in_words(statement: Statement) -> Statement:
    """The statement with each line's memo written in the active language from what its transaction records.

    Payments of instalments, expenses, in-kind contributions, shares and
    settlements are written from their grant or pool (:mod:`grants.memos`,
    :mod:`sharedcosts.memos`), a reversal as the reversal of what it
    reverses; any other line (an adjustment in the staff's words, a movement
    whose record is gone) keeps its stored memo. At most nine queries,
    whatever the number of lines.
    """
    memos = memos_in_words(transaction_ids={line.transaction_id for line in statement.lines})
    if not memos:
        return statement
    lines = [dataclasses.replace(line, memo=memos.get(line.transaction_id, line.memo)) for line in statement.lines]
    return dataclasses.replace(statement, lines=lines)


def memos_in_words(*, transaction_ids: Iterable[int]) -> dict[int, str]:
    """The line of each transaction whose record writes one, in the active language, by its id.

    A transaction absent from the answer keeps its stored memo. At most nine
    queries, none without ids.
    """
    ids = set(transaction_ids)
    if not ids:
        return {}
    transactions = list(Transaction.objects.filter(pk__in=ids).only(*RECORDED))
    originals = {txn.reverses_id for txn in transactions if txn.reverses_id is not None}
    reversed_ = list(Transaction.objects.filter(pk__in=originals).only(*RECORDED)) if originals else []
    memos = {**pool_memos([*transactions, *reversed_]), **grant_memos(transactions)}
    for txn in transactions:
        if txn.kind == TransactionKind.REVERSAL and txn.pk not in memos and txn.reverses_id in memos:
            memos[txn.pk] = _("Reversal: %(memo)s") % {"memo": memos[txn.reverses_id]}
    return {pk: memo for pk, memo in memos.items() if pk in ids}
