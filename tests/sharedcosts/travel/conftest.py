"""Three partners of a worked example: Saint-Jérôme, Sainte-Agathe-des-Monts and Mont-Laurier.

Distances (one way): Saint-Jérôme–Sainte-Agathe 50 km, Saint-Jérôme–Mont-Laurier
195 km, Sainte-Agathe–Mont-Laurier 145 km. The rate is 0,50 $ a km until
30 September 2025 and 0,60 $ from 1 October 2025.
"""

from datetime import date
from decimal import Decimal

import pytest
from moneyed import Money

from ledger.models import Party, PartyKind, Sector
from sharedcosts.travel.models import GroupMember, MeetingGroup
from sharedcosts.travel.services import distance_record, municipality_record, premises_record, rate_record


@pytest.fixture
def places(db) -> dict[str, object]:
    names = ["Saint-Jérôme", "Sainte-Agathe-des-Monts", "Mont-Laurier"]
    found = {name: municipality_record(name=name) for name in names}
    distance_record(one=found["Saint-Jérôme"], other=found["Sainte-Agathe-des-Monts"], km=Decimal("50"))
    distance_record(one=found["Mont-Laurier"], other=found["Saint-Jérôme"], km=Decimal("195"))
    distance_record(one=found["Sainte-Agathe-des-Monts"], other=found["Mont-Laurier"], km=Decimal("145"))
    return found


@pytest.fixture
def rates(db) -> None:
    rate_record(effective_from=date(2024, 1, 1), per_km=Money("0.50", "CAD"), source="Politique de déplacement 2024")
    rate_record(effective_from=date(2025, 10, 1), per_km=Money("0.60", "CAD"), source="Politique de déplacement 2025")


@pytest.fixture
def trio(places, rates) -> dict[str, Party]:
    """A (Saint-Jérôme), B (Sainte-Agathe) and C (Mont-Laurier), created in that order."""
    parties = {
        "A": Party.objects.create(name="A — Aire ouverte", kind=PartyKind.ESTABLISHMENT_PROGRAMME, sector=Sector.SUD),
        "B": Party.objects.create(name="B — Alliance", kind=PartyKind.DIVERSITY, sector=Sector.CENTRE),
        "C": Party.objects.create(name="C — Maison des jeunes", kind=PartyKind.COMMUNITY_YOUTH, sector=Sector.NORD),
    }
    for key, place in zip("ABC", ["Saint-Jérôme", "Sainte-Agathe-des-Monts", "Mont-Laurier"], strict=True):
        premises_record(party=parties[key], municipality=places[place])
    return parties


@pytest.fixture
def table(trio) -> MeetingGroup:
    group = MeetingGroup.objects.create(name="Table de concertation jeunesse")
    for party in trio.values():
        GroupMember.objects.create(group=group, party=party)
    return group
