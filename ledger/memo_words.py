"""Each posted transaction's line in the reader's language, written when it is shown by the app that posted it.

A memo is written once, in the language of whoever posted it, and the
ledger never changes it: an English reader would see "Part de … dans …,
version 1". The apps that post movements know what each one records (a
grant's instalment, a pool's expense) and write its line again in the
active language. The ledger imports none of them, so each registers its
writer here when it is ready (:func:`memo_writer_register`); the admin's
transactions, a partner's statement and dashboard all read their lines from
:func:`memos_in_words` or :func:`transactions_memos`.

A transaction no writer recognises (an adjustment in the staff's words, a
row posted before the lines were written when shown) keeps its stored memo,
and one posted without a memo reads as its kind (:func:`transaction_line`).
"""

from collections.abc import Callable, Iterable, Mapping, Sequence

from django.utils.translation import gettext as _

from ledger.models import Transaction, TransactionKind

# What a writer reads of each transaction: the rest of the row is never needed to name it.
RECORDED = ("kind", "idempotency_key", "reverses_id")

MemoWriter = Callable[[Sequence[Transaction]], dict[int, str]]
"""The lines of the transactions a writer recognises, by id, in the active language; in a fixed number of queries."""

_WRITERS: dict[str, MemoWriter] = {}


def memo_writer_register(*, app: str, writer: MemoWriter) -> None:
    """Let ``writer`` write the lines of ``app``'s movements; an app registers once, in its ``AppConfig.ready``."""
    _WRITERS[app] = writer


def memos_in_words(*, transaction_ids: Iterable[int]) -> dict[int, str]:
    """The line of each transaction a writer recognises, in the active language, by its id.

    A transaction absent from the answer keeps its stored memo. One query
    more than :func:`transactions_memos`, none without ids.
    """
    ids = set(transaction_ids)
    if not ids:
        return {}
    return transactions_memos(transactions=list(Transaction.objects.filter(pk__in=ids).only(*RECORDED)))


def transactions_memos(*, transactions: Sequence[Transaction]) -> dict[int, str]:
    """The line of each of ``transactions`` a writer recognises, in the active language, by its id.

    A reversal a writer does not name reads as the reversal of what it
    reverses. The transactions need only :data:`RECORDED`; one query for the
    reversed ones, and each writer's (seven in all today), whatever their number.
    """
    if not transactions:
        return {}
    originals = {txn.reverses_id for txn in transactions if txn.reverses_id is not None}
    reversed_ = list(Transaction.objects.filter(pk__in=originals).only(*RECORDED)) if originals else []
    memos: dict[int, str] = {}
    for writer in _WRITERS.values():
        memos.update(writer([*transactions, *reversed_]))
    for txn in transactions:
        if txn.kind == TransactionKind.REVERSAL and txn.pk not in memos and txn.reverses_id in memos:
            memos[txn.pk] = _("Reversal: %(memo)s") % {"memo": memos[txn.reverses_id]}
    ids = {txn.pk for txn in transactions}
    return {pk: memo for pk, memo in memos.items() if pk in ids}


def transaction_line(transaction: Transaction, memos: Mapping[int, str]) -> str:
    """The transaction's line: its words among ``memos``, else its stored memo, else its kind."""
    return memos.get(transaction.pk) or transaction.memo or transaction.get_kind_display()
