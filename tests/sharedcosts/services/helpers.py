"""Helpers shared by the tests of the shared-cost services."""

from datetime import date

from ledger.models import Account, Entry, Transaction
from sharedcosts.models import Allocation, AllocationShare, Expense, InKindContribution, MeansDeclaration
from sharedcosts.services import allocation_approve, allocation_compute, allocation_post

DAY = date(2025, 5, 1)


def written() -> tuple[int, ...]:
    return (
        Allocation.objects.count(),
        AllocationShare.objects.count(),
        Transaction.objects.count(),
        Entry.objects.count(),
        Account.objects.count(),
        Expense.objects.count(),
        InKindContribution.objects.count(),
        MeansDeclaration.objects.count(),
    )


def posted_allocation(pool, finance_user, administrator):
    allocation = allocation_compute(pool=pool, prepared_by=finance_user)
    allocation_approve(allocation=allocation, approved_by=administrator)
    return allocation_post(allocation=allocation, posted_by=administrator, date=DAY)


# The whole refusal a service gives an actor who is neither finance staff nor an administrator.
NOT_STAFF = "Seuls le personnel des finances ou un administrateur peuvent enregistrer ceci."
# The most a column of 14 digits, 2 of them decimals, holds, as a Québec reader writes it.
SHARE_LIMIT = "999\xa0999\xa0999\xa0999,99\xa0$"


def assert_not_staff(refusal) -> None:
    assert refusal.code == "not_staff"
    assert refusal.messages == [NOT_STAFF]


def shares_of(allocation) -> dict:
    return {share.party: share.amount for share in allocation.shares.all()}
