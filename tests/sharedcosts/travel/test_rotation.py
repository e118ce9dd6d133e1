from datetime import date
from decimal import Decimal

import pytest
from moneyed import Money

from sharedcosts.travel.errors import TravelError
from sharedcosts.travel.models import AttendanceMode, GroupMember, MeetingFormat
from sharedcosts.travel.rotation import group_rotation
from sharedcosts.travel.services import Presence, meeting_record, municipality_record, premises_record

pytestmark = pytest.mark.django_db

YEAR = {"start": date(2025, 4, 1), "end": date(2026, 3, 31)}


def cad(amount: str) -> Money:
    return Money(amount, "CAD")


@pytest.fixture
def year_of_meetings(table, trio):
    """A hosts twice, B once; C (Mont-Laurier, the farthest) never."""
    a, b, c = trio["A"], trio["B"], trio["C"]
    meeting_record(group=table, date=date(2025, 5, 10), host=a, presences=[Presence(a), Presence(b), Presence(c)])
    meeting_record(group=table, date=date(2025, 9, 12), host=b, presences=[Presence(a, vehicles=2), Presence(b), Presence(c)])
    meeting_record(
        group=table,
        date=date(2025, 11, 14),
        host=a,
        format=MeetingFormat.HYBRID,
        presences=[Presence(a), Presence(b), Presence(c, AttendanceMode.REMOTE, 0)],
    )
    return table


def test_the_rotation_counts_hosts_and_sums_each_members_travel(year_of_meetings, trio):
    rotation = group_rotation(group=year_of_meetings, **YEAR)
    assert [(b.party.name, b.hosted, b.in_person, b.remote, b.km, b.cost) for b in rotation.burdens] == [
        (trio["A"].name, 2, 3, 0, Decimal("200.0"), cad("100.00")),
        (trio["B"].name, 1, 3, 0, Decimal("200.0"), cad("110.00")),  # 50.00 at 0,50 $, then 60.00 at 0,60 $
        (trio["C"].name, 0, 2, 1, Decimal("680.0"), cad("340.00")),
    ]
    assert rotation.spread == cad("240.00")
    assert rotation.total_cost == cad("550.00")


def test_the_suggested_host_is_the_volunteer_that_lowers_the_spread_most(year_of_meetings, trio):
    rotation = group_rotation(group=year_of_meetings, **YEAR)
    # At 0,60 $ a km, one vehicle each: hosting at A adds 60.00 to B and 234.00 to C; at B, 60.00 to A and
    # 174.00 to C; at C, 234.00 to A and 174.00 to B: 334.00, 284.00, 340.00.
    assert [(o.host.name, o.spread) for o in rotation.options] == [
        (trio["C"].name, cad("56.00")),
        (trio["B"].name, cad("404.00")),
        (trio["A"].name, cad("474.00")),
    ]
    assert rotation.suggested.host == trio["C"]


def test_a_member_that_does_not_volunteer_is_never_suggested(year_of_meetings, trio):
    GroupMember.objects.filter(party=trio["C"]).update(volunteers_to_host=False)
    rotation = group_rotation(group=year_of_meetings, **YEAR)
    assert rotation.suggested.host == trio["B"]
    assert [b.volunteers_to_host for b in rotation.burdens] == [True, True, False]


def test_a_member_whose_place_has_no_distance_is_refused_by_name(year_of_meetings):
    from ledger.models import Party, PartyKind, Sector

    newcomer = Party.objects.create(name="Carrefour jeunesse-emploi", kind=PartyKind.EMPLOYMENT, sector=Sector.SUD)
    premises_record(party=newcomer, municipality=municipality_record(name="Lachute"))
    GroupMember.objects.create(group=year_of_meetings, party=newcomer)
    with pytest.raises(TravelError) as refused:
        group_rotation(group=year_of_meetings, **YEAR)
    assert "Lachute" in refused.value.messages[0]
