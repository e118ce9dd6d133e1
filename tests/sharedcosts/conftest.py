from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from moneyed import Money

from ledger.models import Membership, Party, PartyKind, Sector
from ledger.roles import ADMINISTRATORS_GROUP
from sharedcosts.models import CostPool, MeansDeclaration, Participation, PoolKind


def cad(amount: str) -> Money:
    return Money(amount, "CAD")


@pytest.fixture
def third_party(db) -> Party:
    return Party.objects.create(name="Cégep de Saint-Jérôme", kind=PartyKind.EDUCATION, sector=Sector.SUD)


@pytest.fixture
def second_administrator(django_user_model):
    user = django_user_model.objects.create_user(username="admin-two", password="x")
    user.groups.add(Group.objects.get(name=ADMINISTRATORS_GROUP))
    return user


@pytest.fixture
def partner_member(django_user_model, party):
    """A partner's own staff: they see their organisation in the portal, and record nothing in the books."""
    user = django_user_model.objects.create_user(username="membre-partenaire", password="x")
    Membership.objects.create(user=user, party=party)
    return user


@pytest.fixture(params=["partner member", "anonymous", "nobody"])
def not_staff(request):
    """Each kind of actor a shared-cost service refuses to write for."""
    if request.param == "partner member":
        return request.getfixturevalue("partner_member")
    return AnonymousUser() if request.param == "anonymous" else None


@pytest.fixture
def pool(db) -> CostPool:
    return CostPool.objects.create(
        kind=PoolKind.PREMISES,
        name="Locaux partagés",
        budgeted_cost=cad("10000.00"),
        start_date=date(2025, 4, 1),
        end_date=date(2026, 3, 31),
        rule="proportional",
    )


def declare(party: Party, value: str, as_of: date = date(2025, 3, 31)) -> MeansDeclaration:
    return MeansDeclaration.objects.create(party=party, value=Decimal(value), as_of=as_of, source="États financiers")


@pytest.fixture
def parties(party, other_party, third_party):
    return [party, other_party, third_party]


@pytest.fixture
def joined(pool, parties) -> CostPool:
    """Three participants with means 100 000, 200 000 and 200 000."""
    for member, value in zip(parties, ["100000", "200000", "200000"], strict=True):
        Participation.objects.create(pool=pool, party=member)
        declare(member, value)
    return pool
