"""Sharing the cost of a pool, as it happens:

1. :mod:`~sharedcosts.services.means`: each party declares its means with a
   date and a source (:func:`means_declare`, or many at once from a file:
   :func:`means_record`, by the same rules, :func:`means_refusals`); a pool
   reads the latest of its measure on or before it starts (:func:`means_latest`).
2. :mod:`~sharedcosts.services.allocations`: the pool's inputs give shares
   (:func:`shares_compute`); a draft version is computed from them
   (:func:`allocation_compute`), approved by another administrator
   (:func:`allocation_approve`) and posted, over an earlier version only
   the difference (:func:`allocation_post`).
3. :mod:`~sharedcosts.services.expenses`: an invoice one party pays for the
   pool (:func:`expense_post`) and what a party provides in kind, credited
   against its share (:func:`in_kind_post`).
4. :mod:`~sharedcosts.services.settlements`: a payment between two parties
   that clears their positions (:func:`settlement_record`).

Finance staff (or an administrator) record and post; an allocation is
approved only by an administrator other than the one who prepared it
(:mod:`ledger.roles`). An amount its column cannot hold is refused in words.

Every refusal is a :class:`sharedcosts.errors.SharedCostsError` raised before
anything is written. Money moves only through
:func:`ledger.services.transaction_post`, on the accounts of
:mod:`~sharedcosts.services.pools`: the pool's cost and each participant's
position in it, which is what the party paid, plus its in-kind credit, minus
its share.
"""

from sharedcosts.services.allocations import (
    Computed,
    allocation_approve,
    allocation_compute,
    allocation_current,
    allocation_is_stale,
    allocation_post,
    shares_compute,
)
from sharedcosts.services.expenses import expense_check, expense_post, expense_posting_request, expenses_record, in_kind_post
from sharedcosts.services.means import means_declare, means_latest, means_record, means_refusals
from sharedcosts.services.pools import pool_cost_account, pool_position_account
from sharedcosts.services.settlements import settlement_record

__all__ = [
    "Computed",
    "allocation_approve",
    "allocation_compute",
    "allocation_current",
    "allocation_is_stale",
    "allocation_post",
    "expense_check",
    "expense_post",
    "expense_posting_request",
    "expenses_record",
    "in_kind_post",
    "means_declare",
    "means_latest",
    "means_record",
    "means_refusals",
    "pool_cost_account",
    "pool_position_account",
    "settlement_record",
    "shares_compute",
]
