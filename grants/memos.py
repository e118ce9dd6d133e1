"""The words of a grant's payments in the ledger, written when posted and again, in the reader's language, when shown.

A posted transaction's memo is a sentence in the language of whoever posted
it, and the ledger never changes it. A statement shows a partner the
payment of an instalment, and its reversal, from the instalment itself
(:func:`grant_memos`), in the partner's language; the stored memo is kept
for the movements nothing here recognises.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from grants.models import Instalment
from ledger.models import Transaction, TransactionKind


def instalment_memo(instalment: Instalment) -> str:
    """``Instalment 2 of the grant Soirées 16-25 ans``."""
    return _("Instalment %(number)s of the grant %(title)s") % {
        "number": instalment.sequence,
        "title": instalment.grant.title,
    }


def instalment_reversal_memo(instalment: Instalment) -> str:
    """``Reversal of instalment 2 of the grant Soirées 16-25 ans``."""
    return _("Reversal of instalment %(number)s of the grant %(title)s") % {
        "number": instalment.sequence,
        "title": instalment.grant.title,
    }


def grant_memos(transactions: Iterable[Transaction]) -> dict[int, str]:
    """The words of each payment of an instalment, or reversal of one, among ``transactions``, by id (one query).

    The transactions need only their ``kind`` and ``reverses_id``.
    """
    paid = {txn.pk for txn in transactions if txn.kind == TransactionKind.DISBURSEMENT}
    reversed_by = {txn.reverses_id: txn.pk for txn in transactions if txn.kind == TransactionKind.REVERSAL}
    if not paid and not reversed_by:
        return {}
    instalments = (
        Instalment.objects.filter(transaction_id__in=paid | reversed_by.keys())
        .select_related("grant")
        .only("sequence", "transaction_id", "grant__title")
    )
    memos = {}
    for instalment in instalments:
        if instalment.transaction_id in paid:
            memos[instalment.transaction_id] = instalment_memo(instalment)
        if instalment.transaction_id in reversed_by:
            memos[reversed_by[instalment.transaction_id]] = instalment_reversal_memo(instalment)
    return memos
