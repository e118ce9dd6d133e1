"""Reading travel: the distance between two places, the rate in force on a day, and each meeting's travel.

A missing distance or rate is a clear refusal, never a guess: the
distances are what staff entered or imported, with no lookup elsewhere.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as date_type
from decimal import Decimal

from django.utils.translation import gettext as _
from moneyed import Money

from ledger.dates import date_words
from ledger.models import Party
from ledger.money import money_round
from sharedcosts.travel.errors import TravelError
from sharedcosts.travel.models import (
    AttendanceMode,
    GroupMember,
    Meeting,
    MileageRate,
    Municipality,
    Premises,
    RoadDistance,
)


class DistanceTable:
    """The road distances, read once; a municipality is zero km from itself."""

    def __init__(self, rows: Iterable[RoadDistance], names: dict[int, str]) -> None:
        self._km = {(row.first_id, row.second_id): row.km for row in rows}
        self._names = names

    def km(self, one: int, other: int) -> Decimal:
        """The one-way road distance between two municipalities (by id), whichever comes first."""
        if one == other:
            return Decimal("0.0")
        pair = (one, other) if one < other else (other, one)
        if pair not in self._km:
            raise TravelError(
                _("No road distance is recorded between %(one)s and %(other)s; add it to the table of distances."),
                code="missing_distance",
                params={"one": self._names.get(one, one), "other": self._names.get(other, other)},
            )
        return self._km[pair]


def distance_table() -> DistanceTable:
    """Every recorded distance, in two queries."""
    return DistanceTable(RoadDistance.objects.all(), dict(Municipality.objects.values_list("id", "name")))


def distance_between(*, one: Municipality, other: Municipality) -> Decimal:
    """The one-way road distance between two municipalities, in whichever order they are given."""
    return distance_table().km(one.pk, other.pk)


class RateTable:
    """The per-km rates, read once, each in force from its date until the next one."""

    def __init__(self, rates: Iterable[MileageRate]) -> None:
        self._rates = sorted(rates, key=lambda rate: rate.effective_from, reverse=True)

    def on(self, day: date_type, currency: str) -> MileageRate:
        for rate in self._rates:
            if rate.effective_from <= day and rate.per_km.currency.code == currency:
                return rate
        raise TravelError(
            _("No per-km rate in %(currency)s is in force on %(date)s; add one that starts on or before that date."),
            code="missing_rate",
            params={"currency": currency, "date": date_words(day)},
        )


def rate_table() -> RateTable:
    return RateTable(MileageRate.objects.all())


def rate_in_force(*, day: date_type, currency: str) -> MileageRate:
    """The per-km rate in force on ``day``: the latest that starts on or before it."""
    return rate_table().on(day, currency)


class PlaceBook:
    """Each party's municipality, read once; a party without premises is refused by name."""

    def __init__(self) -> None:
        self._municipality = dict(Premises.objects.values_list("party_id", "municipality_id"))

    def municipality_of(self, party: Party) -> int:
        if party.pk not in self._municipality:
            raise TravelError(
                _("The premises of %(party)s have no municipality yet; record where it receives."),
                code="missing_premises",
                params={"party": party.name},
            )
        return self._municipality[party.pk]


@dataclass(frozen=True)
class Trip:
    """One organisation's round trip to a meeting, in all its vehicles."""

    meeting: Meeting
    party: Party
    vehicles: int
    km: Decimal
    cost: Money
    rate: MileageRate


@dataclass(frozen=True)
class TravelBook:
    """What computing travel reads, each once: distances, rates and places."""

    distances: DistanceTable
    rates: RateTable
    places: PlaceBook

    def round_trip(self, *, party: Party, host: Party, vehicles: int, day: date_type, currency: str) -> tuple[Decimal, Money, MileageRate]:
        """Kilometres and cost of ``vehicles`` round trips from the party's premises to the host's."""
        km = 2 * vehicles * self.distances.km(self.places.municipality_of(party), self.places.municipality_of(host))
        rate = self.rates.on(day, currency)
        return km, money_round(km * rate.per_km.amount, currency), rate


def travel_book() -> TravelBook:
    return TravelBook(distance_table(), rate_table(), PlaceBook())


def meeting_trips(*, meetings: Iterable[Meeting], currency: str, book: TravelBook | None = None) -> list[Trip]:
    """Each in-person attendance's round trip to its meeting's host, at the rate in force on the meeting's date.

    The meetings come with their attendances and parties prefetched; a
    remote attendance travels nothing.
    """
    book = book or travel_book()
    trips = []
    for meeting in meetings:
        for attendance in meeting.attendances.all():
            if attendance.mode != AttendanceMode.IN_PERSON:
                continue
            km, cost, rate = book.round_trip(
                party=attendance.party, host=meeting.host, vehicles=attendance.vehicles, day=meeting.date, currency=currency
            )
            trips.append(Trip(meeting, attendance.party, attendance.vehicles, km, cost, rate))
    return trips


def group_meetings(*, group_id: int, start: date_type, end: date_type):
    """The group's meetings between two dates (both included), with their host and attendances."""
    return (
        Meeting.objects.filter(group_id=group_id, date__gte=start, date__lte=end)
        .select_related("host", "group")
        .prefetch_related("attendances__party")
        .order_by("date")
    )


@dataclass(frozen=True)
class OwnMeeting:
    """A meeting of one of the party's groups, and how the party itself attended and travelled."""

    meeting: Meeting
    mode: str | None
    vehicles: int
    km: Decimal
    cost: Money


@dataclass(frozen=True)
class OwnGroupTravel:
    group_name: str
    meetings: list[OwnMeeting]
    km: Decimal
    cost: Money


def party_travel(*, party: Party, start: date_type, end: date_type, currency: str) -> list[OwnGroupTravel]:
    """Per group the party belongs to, its meetings in the period and the party's own trips to them.

    Only the party's own attendance and travel are read: what the others
    travelled stays theirs.
    """
    book = travel_book()
    sections = []
    for member in GroupMember.objects.filter(party=party).select_related("group").order_by("group__name"):
        meetings = group_meetings(group_id=member.group_id, start=start, end=end)
        rows = []
        for meeting in meetings:
            own = next((a for a in meeting.attendances.all() if a.party_id == party.pk), None)
            km, cost = Decimal("0.0"), Money("0.00", currency)
            if own is not None and own.mode == AttendanceMode.IN_PERSON:
                km, cost, _rate = book.round_trip(party=party, host=meeting.host, vehicles=own.vehicles, day=meeting.date, currency=currency)
            rows.append(OwnMeeting(meeting, own.mode if own else None, own.vehicles if own else 0, km, cost))
        sections.append(
            OwnGroupTravel(
                member.group.name,
                rows,
                sum((row.km for row in rows), Decimal("0.0")),
                sum((row.cost for row in rows), Money("0.00", currency)),
            )
        )
    return sections
