"""PostgreSQL keeps a posted allocation as it was posted, even against raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from sharedcosts.models import Allocation, AllocationShare, AllocationStatus
from sharedcosts.services import allocation_approve, allocation_compute, allocation_post

from .services.helpers import DAY

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def posted(joined, finance_user, administrator):
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    allocation_approve(allocation=allocation, approved_by=administrator)
    return allocation_post(allocation=allocation, posted_by=administrator, date=DAY)


def refused(statement: str, params: list) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
    return str(error.value)


def test_the_shares_of_a_posted_allocation_cannot_change(posted):
    share = posted.shares.first()
    assert "are posted" in refused("UPDATE sharedcosts_allocationshare SET amount = 0 WHERE id = %s", [share.pk])
    assert "are posted" in refused("DELETE FROM sharedcosts_allocationshare WHERE id = %s", [share.pk])
    assert AllocationShare.objects.get(pk=share.pk).amount == share.amount


def test_a_posted_allocation_cannot_change_or_go_back(posted):
    assert "is posted" in refused("UPDATE sharedcosts_allocation SET total = 1 WHERE id = %s", [posted.pk])
    assert "is posted" in refused("UPDATE sharedcosts_allocation SET status = 'draft' WHERE id = %s", [posted.pk])
    assert "is posted" in refused("DELETE FROM sharedcosts_allocation WHERE id = %s", [posted.pk])
    assert Allocation.objects.get(pk=posted.pk).status == AllocationStatus.POSTED


def test_a_posted_allocation_may_only_be_superseded(posted):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sharedcosts_allocation SET status = 'superseded' WHERE id = %s", [posted.pk])
    assert Allocation.objects.get(pk=posted.pk).status == AllocationStatus.SUPERSEDED
    assert "is posted" in refused("UPDATE sharedcosts_allocation SET status = 'posted' WHERE id = %s", [posted.pk])
