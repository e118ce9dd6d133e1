"""PostgreSQL holds the grants' invariants even against raw SQL, whichever role sends it."""

import pytest
from django.db import DatabaseError, connection, transaction

from config.database_roles import as_owner
from grants.models import Instalment, InstalmentStatus
from grants.services import disbursements_post_due

from .conftest import RUN_DAY



def refused(statement: str) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)
    return str(error.value)


@pytest.mark.django_db
def test_the_application_may_not_truncate_the_instalments(grant):
    disbursements_post_due(today=RUN_DAY)
    assert "permission denied" in refused("TRUNCATE grants_instalment")
    assert Instalment.objects.filter(status=InstalmentStatus.PAID).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("statement", ["TRUNCATE grants_instalment", "TRUNCATE grants_grant CASCADE"])
def test_not_even_the_owner_may_truncate_the_instalments(grant, statement):
    disbursements_post_due(today=RUN_DAY)
    with as_owner() as separate_owner:
        assert separate_owner, "the suite runs with an owner role apart from the application's"
        message = refused(statement)
    assert "TRUNCATE of grants_instalment is refused; posted money is immutable" in message
    assert Instalment.objects.filter(status=InstalmentStatus.PAID).count() == 1
