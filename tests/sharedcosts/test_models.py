from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from sharedcosts.allocation import RULES
from sharedcosts.models import CostPool, Expense, InKindContribution, MeansDeclaration, Participation, PoolKind

from .conftest import cad

pytestmark = pytest.mark.django_db


def test_pool_defaults_and_account_codes(pool, party):
    assert pool.currency == "CAD"
    assert pool.tolerance_low == Decimal("0.80")
    assert pool.tolerance_high == Decimal("1.25")
    assert pool.cost_account_code == f"POOL-{pool.pk}-COST"
    assert pool.position_account_code(party) == f"POOL-{pool.pk}-P{party.pk}"


def test_the_rule_choices_are_the_allocation_rules():
    assert [value for value, _label in CostPool._meta.get_field("rule").choices] == list(RULES)


def test_a_pool_cannot_end_before_it_starts(db):
    with pytest.raises(IntegrityError):
        CostPool.objects.create(
            kind=PoolKind.EVENT, name="x", budgeted_cost=cad("1.00"), start_date=date(2025, 5, 2), end_date=date(2025, 5, 1)
        )


def test_a_party_joins_a_pool_once(pool, party):
    Participation.objects.create(pool=pool, party=party)
    with pytest.raises(IntegrityError):
        Participation.objects.create(pool=pool, party=party)


def test_means_cannot_be_negative(party):
    with pytest.raises(IntegrityError):
        MeansDeclaration.objects.create(party=party, value=Decimal("-1"), as_of=date(2025, 1, 1), source="x")


@pytest.mark.parametrize("model", ["expense", "in_kind"])
def test_expenses_and_in_kind_are_positive(pool, party, model):
    with pytest.raises(IntegrityError), transaction.atomic():
        if model == "expense":
            Expense.objects.create(pool=pool, payer=party, vendor="v", date=date(2025, 5, 1), amount=cad("0.00"))
        else:
            InKindContribution.objects.create(
                pool=pool, party=party, description="d", value=cad("-1.00"), justification="j", date=date(2025, 5, 1)
            )


def test_documents_go_to_an_unguessable_private_folder(party):
    from sharedcosts.models import private_upload_to

    path = private_upload_to(MeansDeclaration(party=party), "états.pdf")
    assert path.startswith("sharedcosts/meansdeclaration/")
    assert path.endswith("/états.pdf")
    assert len(path.split("/")[2]) == 32
