"""A group's rotation over a period: who hosted, who travelled how far at what cost, and who should host next.

The burden of a member is its cumulative travel cost in the period; the
spread is the gap between the most and the least burdened. The suggested
next host is the volunteer that, if every member came to the next meeting
in person (one vehicle each, at the rate in force that day), would leave
the smallest spread; a tie goes to who hosted least, then by name.
"""

from dataclasses import dataclass
from datetime import date as date_type
from decimal import Decimal

from django.conf import settings
from moneyed import Money

from ledger.models import FiscalPeriod, Party
from sharedcosts.travel.models import AttendanceMode, GroupMember, Meeting, MeetingGroup
from sharedcosts.travel.selectors import Trip, group_meetings, meeting_trips, travel_book


@dataclass(frozen=True)
class Burden:
    party: Party
    volunteers_to_host: bool
    hosted: int
    in_person: int
    remote: int
    km: Decimal
    cost: Money


@dataclass(frozen=True)
class HostOption:
    host: Party
    spread: Money


@dataclass(frozen=True)
class Rotation:
    group: MeetingGroup
    start: date_type
    end: date_type
    currency: str
    meetings: list[Meeting]
    trips: list[Trip]
    burdens: list[Burden]
    spread: Money
    options: list[HostOption]
    next_on: date_type

    @property
    def suggested(self) -> HostOption | None:
        return self.options[0] if self.options else None

    @property
    def total_cost(self) -> Money:
        return sum((burden.cost for burden in self.burdens), Money("0.00", self.currency))

    @property
    def total_km(self) -> Decimal:
        return sum((burden.km for burden in self.burdens), Decimal("0.0"))


def _spread(costs: list[Money], currency: str) -> Money:
    return max(costs) - min(costs) if costs else Money("0.00", currency)


def group_rotation(
    *,
    group: MeetingGroup,
    start: date_type,
    end: date_type,
    currency: str = settings.DEFAULT_CURRENCY,
    next_on: date_type | None = None,
) -> Rotation:
    """The group's rotation between ``start`` and ``end`` (both included); ``next_on`` dates the next meeting (the end by default).

    Raises :class:`~sharedcosts.travel.errors.TravelError` naming what is
    missing: a distance between two places, a member's premises, a rate.
    """
    next_on = next_on or end
    members = list(GroupMember.objects.filter(group=group).select_related("party").order_by("party__name"))
    meetings = list(group_meetings(group_id=group.pk, start=start, end=end))
    book = travel_book()
    trips = meeting_trips(meetings=meetings, currency=currency, book=book)
    zero = Money("0.00", currency)
    km = {member.party_id: Decimal("0.0") for member in members}
    cost = {member.party_id: zero for member in members}
    for trip in trips:
        km[trip.party.pk] = km.get(trip.party.pk, Decimal("0.0")) + trip.km
        cost[trip.party.pk] = cost.get(trip.party.pk, zero) + trip.cost
    hosted: dict[int, int] = {}
    in_person: dict[int, int] = {}
    remote: dict[int, int] = {}
    for meeting in meetings:
        hosted[meeting.host_id] = hosted.get(meeting.host_id, 0) + 1
        for attendance in meeting.attendances.all():
            counts = in_person if attendance.mode == AttendanceMode.IN_PERSON else remote
            counts[attendance.party_id] = counts.get(attendance.party_id, 0) + 1
    burdens = [
        Burden(
            party=member.party,
            volunteers_to_host=member.volunteers_to_host,
            hosted=hosted.get(member.party_id, 0),
            in_person=in_person.get(member.party_id, 0),
            remote=remote.get(member.party_id, 0),
            km=km[member.party_id],
            cost=cost[member.party_id],
        )
        for member in members
    ]
    options = []
    for candidate in (member for member in members if member.volunteers_to_host):
        projected = [
            cost[member.party_id]
            + book.round_trip(party=member.party, host=candidate.party, vehicles=1, day=next_on, currency=currency)[1]
            for member in members
        ]
        options.append(HostOption(candidate.party, _spread(projected, currency)))
    options.sort(key=lambda option: (option.spread.amount, hosted.get(option.host.pk, 0), option.host.name))
    return Rotation(
        group=group,
        start=start,
        end=end,
        currency=currency,
        meetings=meetings,
        trips=trips,
        burdens=burdens,
        spread=_spread(list(cost[m.party_id] for m in members), currency),
        options=options,
        next_on=next_on,
    )


def rotation_default_period(*, group: MeetingGroup, today: date_type) -> tuple[date_type, date_type]:
    """The fiscal year (1 April–31 March) of the group's latest meeting up to today, or of today if it has none."""
    latest = group.meetings.filter(date__lte=today).order_by("-date").values_list("date", flat=True).first()
    period = FiscalPeriod(start_year=FiscalPeriod.year_of(latest or today))
    return period.start_date, period.end_date
