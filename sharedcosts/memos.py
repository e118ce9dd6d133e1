"""The words of a pool's movements in the ledger, written when posted and again, in the reader's language, when shown.

A posted transaction's memo is a sentence in the language of whoever posted
it, and the ledger never changes it. A statement shows a partner its
expenses, in-kind contributions, shares and settlements from what each
transaction records (:func:`pool_memos`): the expense or contribution that
names it, or its idempotency key, which names the allocation and party, or
the pool and the two parties of a settlement. The stored memo is kept for
the movements nothing here recognises.
"""

import uuid
from collections.abc import Iterable

from django.utils.translation import gettext as _

from ledger.models import Party, Transaction, TransactionKind
from ledger.words import de_name
from sharedcosts.models import Allocation, CostPool, Expense, InKindContribution

ALLOCATION_KEY = "allocation:{allocation}:party:{party}"
SETTLEMENT_KEY = "settlement:pool:{pool}:{payer}:{payee}:request:{request_id}"


def allocation_key(*, allocation: Allocation, party: Party) -> str:
    """The key of a party's movement for a version of the shares: ``allocation:<id>:party:<id>``."""
    return ALLOCATION_KEY.format(allocation=allocation.pk, party=party.pk)


def settlement_key(*, pool: CostPool, payer: Party, payee: Party, request_id: uuid.UUID) -> str:
    """The key of a payment between two parties: ``settlement:pool:<id>:<payer>:<payee>:request:<uuid>``.

    Keys recorded before request ids end with the date and amount instead; both start with the
    pool and the parties, which is what a statement reads from them."""
    return SETTLEMENT_KEY.format(pool=pool.pk, payer=payer.pk, payee=payee.pk, request_id=request_id)


def expense_memo(expense: Expense) -> str:
    return _("%(vendor)s, paid by %(party)s for %(pool)s") % {
        "vendor": expense.vendor,
        "party": expense.payer.name,
        "pool": expense.pool.name,
    }


def in_kind_memo(contribution: InKindContribution) -> str:
    return _("In kind from %(of_party)s for %(pool)s: %(description)s") % {
        "of_party": de_name(contribution.party.name),
        "pool": contribution.pool.name,
        "description": contribution.description,
    }


def allocation_memo(*, allocation: Allocation, party: Party, first: bool) -> str:
    """A party's share in the pool's first posted version, or the change of its share in a later one."""
    memo = (
        _("Share of %(of_party)s in %(pool)s, version %(version)s")
        if first
        else _("Change of the share of %(of_party)s in %(pool)s, version %(version)s")
    )
    return memo % {"of_party": de_name(party.name), "pool": allocation.pool.name, "version": allocation.version}


def settlement_memo(*, pool: CostPool, payer: Party, payee: Party) -> str:
    return _("%(payer)s pays %(payee)s for %(pool)s") % {"payer": payer.name, "payee": payee.name, "pool": pool.name}


def _key_ids(key: str, prefix: str, positions: tuple[int, ...]) -> tuple[int, ...] | None:
    """The ids at ``positions`` of a key that starts with ``prefix``; ``None`` if it is not such a key."""
    parts = key.split(":")
    if parts[0] != prefix or len(parts) <= max(positions) or not all(parts[i].isdigit() for i in positions):
        return None
    return tuple(int(parts[i]) for i in positions)


def pool_memos(transactions: Iterable[Transaction]) -> dict[int, str]:
    """The words of each expense, in-kind contribution, share and settlement among ``transactions``, by id.

    The transactions need only their ``kind`` and ``idempotency_key``; at most
    five queries, whatever their number.
    """
    by_kind: dict[str, list[Transaction]] = {}
    for txn in transactions:
        by_kind.setdefault(txn.kind, []).append(txn)
    memos: dict[int, str] = {}
    if expenses := [txn.pk for txn in by_kind.get(TransactionKind.EXPENSE, [])]:
        for expense in Expense.objects.filter(transaction_id__in=expenses).select_related("pool", "payer"):
            memos[expense.transaction_id] = expense_memo(expense)
    if gifts := [txn.pk for txn in by_kind.get(TransactionKind.IN_KIND, [])]:
        for contribution in InKindContribution.objects.filter(transaction_id__in=gifts).select_related("pool", "party"):
            memos[contribution.transaction_id] = in_kind_memo(contribution)
    shares = {
        txn.pk: ids
        for txn in by_kind.get(TransactionKind.ALLOCATION, [])
        if (ids := _key_ids(txn.idempotency_key, "allocation", (1, 3))) is not None
    }
    settlements = {
        txn.pk: ids
        for txn in by_kind.get(TransactionKind.SETTLEMENT, [])
        if (ids := _key_ids(txn.idempotency_key, "settlement", (2, 3, 4))) is not None
    }
    if not shares and not settlements:
        return memos
    versions = {allocation for allocation, _party in shares.values()}
    allocations = Allocation.objects.select_related("pool").in_bulk(versions)
    pools = CostPool.objects.in_bulk({pool for pool, _payer, _payee in settlements.values()})
    parties = Party.objects.in_bulk(
        {party for _allocation, party in shares.values()} | {party for ids in settlements.values() for party in ids[1:]}
    )
    for pk, (allocation, party) in shares.items():
        if allocation in allocations and party in parties:
            version = allocations[allocation]
            # A version posted over another supersedes it: its movements were the changes of the shares.
            memos[pk] = allocation_memo(allocation=version, party=parties[party], first=version.supersedes_id is None)
    for pk, (pool, payer, payee) in settlements.items():
        if pool in pools and payer in parties and payee in parties:
            memos[pk] = settlement_memo(pool=pools[pool], payer=parties[payer], payee=parties[payee])
    return memos
