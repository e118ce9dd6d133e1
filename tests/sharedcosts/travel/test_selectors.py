from datetime import date
from decimal import Decimal

import pytest
from moneyed import Money

from sharedcosts.travel.errors import TravelError
from sharedcosts.travel.models import AttendanceMode, MeetingFormat
from sharedcosts.travel.selectors import distance_between, group_meetings, meeting_trips, rate_in_force
from sharedcosts.travel.services import Presence, meeting_record, municipality_record

pytestmark = pytest.mark.django_db


def test_one_row_serves_both_directions(places):
    jerome, agathe = places["Saint-Jérôme"], places["Sainte-Agathe-des-Monts"]
    assert distance_between(one=jerome, other=agathe) == Decimal("50.0")
    assert distance_between(one=agathe, other=jerome) == Decimal("50.0")
    assert distance_between(one=places["Mont-Laurier"], other=jerome) == Decimal("195.0")
    assert distance_between(one=jerome, other=jerome) == Decimal("0.0")


def test_a_missing_pair_is_refused_naming_both_places(places):
    lachute = municipality_record(name="Lachute")
    with pytest.raises(TravelError) as refused:
        distance_between(one=places["Mont-Laurier"], other=lachute)
    assert refused.value.code == "missing_distance"
    assert "Mont-Laurier" in refused.value.messages[0] and "Lachute" in refused.value.messages[0]


def test_the_rate_in_force_is_the_latest_started_on_or_before_the_day(rates):
    assert rate_in_force(day=date(2025, 9, 30), currency="CAD").per_km == Money("0.50", "CAD")
    assert rate_in_force(day=date(2025, 10, 1), currency="CAD").per_km == Money("0.60", "CAD")
    with pytest.raises(TravelError) as refused:
        rate_in_force(day=date(2023, 12, 31), currency="CAD")
    assert refused.value.code == "missing_rate"


def test_each_trip_is_a_round_trip_times_vehicles_at_the_rate_of_its_day(table, trio):
    a, b, c = trio["A"], trio["B"], trio["C"]
    meeting_record(
        group=table, date=date(2025, 9, 12), host=b, presences=[Presence(a, vehicles=2), Presence(b), Presence(c)]
    )
    meeting_record(
        group=table,
        date=date(2025, 11, 14),
        host=a,
        format=MeetingFormat.HYBRID,
        presences=[Presence(b), Presence(c, AttendanceMode.REMOTE, 0)],
    )
    trips = meeting_trips(meetings=group_meetings(group_id=table.pk, start=date(2025, 4, 1), end=date(2026, 3, 31)), currency="CAD")
    assert [(t.meeting.date, t.party.name, t.km, t.cost) for t in trips] == [
        (date(2025, 9, 12), a.name, Decimal("200.0"), Money("100.00", "CAD")),
        (date(2025, 9, 12), b.name, Decimal("0.0"), Money("0.00", "CAD")),
        (date(2025, 9, 12), c.name, Decimal("290.0"), Money("145.00", "CAD")),
        (date(2025, 11, 14), b.name, Decimal("100.0"), Money("60.00", "CAD")),
    ]
