"""PostgreSQL keeps a posted allocation as it was posted, and the rows of posted money, even against raw SQL."""

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction

from config.database_roles import owner_credentials
from sharedcosts.models import Allocation, AllocationShare, AllocationStatus, Expense, InKindContribution
from sharedcosts.services import allocation_approve, allocation_compute, allocation_post, expense_post, in_kind_post

from .conftest import cad
from .services.helpers import DAY

pytestmark = [pytest.mark.django_db]


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


@pytest.mark.django_db(transaction=True)
def test_truncate_of_the_tables_of_posted_money_is_refused_even_to_the_owner(posted, parties, finance_user):
    expense_post(
        expense=Expense(pool=posted.pool, payer=parties[1], vendor="Loyer", date=DAY, amount=cad("100.00")),
        posted_by=finance_user,
    )
    in_kind_post(
        contribution=InKindContribution(
            pool=posted.pool, party=parties[0], description="Salle", value=cad("10.00"), justification="Tarif", date=DAY
        ),
        posted_by=finance_user,
    )
    owner = owner_credentials()
    assert owner is not None
    with psycopg.connect(
        host=owner["HOST"], port=owner["PORT"], user=owner["USER"], password=owner["PASSWORD"] or None,
        dbname=connection.settings_dict["NAME"], autocommit=True,
    ) as owner_connection:
        for table in ("sharedcosts_expense", "sharedcosts_inkindcontribution", "sharedcosts_allocationshare", "sharedcosts_allocation"):
            with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match=f"TRUNCATE of {table} is refused"):
                owner_connection.execute(f"TRUNCATE {table} CASCADE")
    assert (Expense.objects.count(), InKindContribution.objects.count(), AllocationShare.objects.count()) == (1, 1, 3)
    assert Allocation.objects.get().status == AllocationStatus.POSTED
