"""Helpers shared by the tests of the shared-cost services."""

from datetime import date

from ledger.models import Account, Entry, Transaction
from sharedcosts.models import Allocation, AllocationShare
from sharedcosts.services import allocation_approve, allocation_compute, allocation_post

DAY = date(2025, 5, 1)


def written() -> tuple[int, ...]:
    return (
        Allocation.objects.count(),
        AllocationShare.objects.count(),
        Transaction.objects.count(),
        Entry.objects.count(),
        Account.objects.count(),
    )


def posted_allocation(pool, finance_user, administrator):
    allocation = allocation_compute(pool=pool, prepared_by=finance_user)
    allocation_approve(allocation=allocation, approved_by=administrator)
    return allocation_post(allocation=allocation, posted_by=administrator, date=DAY)


def shares_of(allocation) -> dict:
    return {share.party: share.amount for share in allocation.shares.all()}
