"""Recording places, distances, rates and meetings, and equalising a period's travel through a cost pool.

Every refusal is a :class:`~sharedcosts.travel.errors.TravelError` raised
before anything is written. Travel reaches the ledger only through
:func:`travel_equalise`: each organisation's travel becomes an expense of a
pool of kind "travel" paid by that organisation (recorded and posted by
:func:`~sharedcosts.services.expenses_record`, as an imported invoice is),
and the pool's rule then shares the total like any other cost.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as date_type
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from moneyed import Money

from ledger.dates import date_words
from ledger.models import Party
from ledger.money import money_format
from ledger.words import de_name, km_words
from sharedcosts.allocation import RULES
from sharedcosts.models import CostPool, Expense, Participation, PoolKind
from sharedcosts.services import expenses_record
from sharedcosts.travel.errors import TravelError
from sharedcosts.travel.models import (
    Attendance,
    AttendanceMode,
    GroupMember,
    Meeting,
    MeetingFormat,
    MeetingGroup,
    MileageRate,
    Municipality,
    Premises,
    RoadDistance,
    TravelEqualisation,
)
from sharedcosts.travel.rotation import group_rotation

KM_LIMIT = Decimal("99999.9")


def municipality_record(*, name: str) -> Municipality:
    """The municipality of this name, recorded on first use."""
    name = " ".join(name.split())
    if not name:
        raise TravelError(_("A municipality needs a name."), code="missing_name")
    return Municipality.objects.get_or_create(name=name)[0]


def distance_check(*, one: Municipality, other: Municipality, km: Any) -> Decimal:
    """The distance as it will be stored, or a refusal naming both places."""
    if one.pk == other.pk:
        raise TravelError(
            _("A distance joins two different municipalities; %(place)s is zero km from itself."),
            code="same_place",
            params={"place": one.name},
        )
    if isinstance(km, bool) or not isinstance(km, (Decimal, int)) or not Decimal(km).is_finite():
        raise TravelError(_("A distance must be a number of km, not %(km)r."), code="invalid_km", params={"km": km})
    km = Decimal(km)
    if not 0 < km <= KM_LIMIT or km != km.quantize(Decimal("0.1")):
        raise TravelError(
            _("The distance between %(one)s and %(other)s must be more than 0 and at most %(limit)s km, to the tenth: %(km)s."),
            code="km_out_of_range",
            params={"one": one.name, "other": other.name, "limit": KM_LIMIT, "km": km},
        )
    return km


def distance_record(*, one: Municipality, other: Municipality, km: Decimal) -> RoadDistance:
    """Record the road distance between two municipalities; one row serves both directions."""
    km = distance_check(one=one, other=other, km=km)
    first, second = (one, other) if one.pk < other.pk else (other, one)
    return RoadDistance.objects.update_or_create(first=first, second=second, defaults={"km": km})[0]


def premises_record(*, party: Party, municipality: Municipality, address: str = "") -> Premises:
    """Where the party receives; its travel starts there and the meetings it hosts are held there."""
    return Premises.objects.update_or_create(party=party, defaults={"municipality": municipality, "address": address})[0]


def rate_record(*, effective_from: date_type, per_km: Money, source: str) -> MileageRate:
    """A per-km rate in force from a date until the next one; a rate is more than zero."""
    if per_km.amount <= 0:
        raise TravelError(_("A per-km rate must be more than zero."), code="rate_not_positive")
    if not source.strip():
        raise TravelError(_("Say where the rate comes from."), code="missing_source")
    return MileageRate.objects.update_or_create(
        effective_from=effective_from, per_km_currency=per_km.currency.code, defaults={"per_km": per_km, "source": source}
    )[0]


@dataclass(frozen=True)
class Presence:
    """How one organisation attended: in person in ``vehicles`` vehicles, or remote."""

    party: Party
    mode: str = AttendanceMode.IN_PERSON
    vehicles: int = 1


def attendance_check(*, meeting_format: str, group: MeetingGroup, presence: Presence, members: set[int]) -> None:
    """Refuse an attendance that does not fit its meeting: a non-member, vehicles that do not match, a wrong format."""
    party = presence.party
    if party.pk not in members:
        raise TravelError(
            _("%(party)s is not a member of %(of_group)s."),
            code="not_member",
            params={"party": party.name, "of_group": de_name(group.name)},
        )
    if presence.mode == AttendanceMode.IN_PERSON and presence.vehicles < 1:
        raise TravelError(
            _("%(party)s came in person: say in how many vehicles (one or more)."),
            code="no_vehicle",
            params={"party": party.name},
        )
    if presence.mode == AttendanceMode.REMOTE and presence.vehicles != 0:
        raise TravelError(
            _("%(party)s attended remotely: it came in no vehicle."), code="remote_vehicles", params={"party": party.name}
        )
    if meeting_format == MeetingFormat.REMOTE and presence.mode == AttendanceMode.IN_PERSON:
        raise TravelError(
            _("The meeting is remote: %(party)s cannot attend it in person; make it hybrid."),
            code="in_person_at_remote",
            params={"party": party.name},
        )
    if meeting_format == MeetingFormat.IN_PERSON and presence.mode == AttendanceMode.REMOTE:
        raise TravelError(
            _("The meeting is in person: %(party)s cannot attend it remotely; make it hybrid."),
            code="remote_at_in_person",
            params={"party": party.name},
        )


def meeting_record(
    *,
    group: MeetingGroup,
    date: date_type,
    host: Party,
    format: str = MeetingFormat.IN_PERSON,
    presences: Sequence[Presence] = (),
    subject: str = "",
) -> Meeting:
    """Record a meeting of the group and who attended it how; the host is a member of the group."""
    members = set(GroupMember.objects.filter(group=group).values_list("party_id", flat=True))
    if host.pk not in members:
        raise TravelError(
            _("%(party)s is not a member of %(of_group)s and cannot host it."),
            code="host_not_member",
            params={"party": host.name, "of_group": de_name(group.name)},
        )
    if format not in MeetingFormat.values:
        raise TravelError(_("Unknown meeting format: %(format)s."), code="unknown_format", params={"format": format})
    seen: set[int] = set()
    for presence in presences:
        attendance_check(meeting_format=format, group=group, presence=presence, members=members)
        if presence.party.pk in seen:
            raise TravelError(
                _("%(party)s is counted twice at the same meeting."), code="twice", params={"party": presence.party.name}
            )
        seen.add(presence.party.pk)
    if Meeting.objects.filter(group=group, date=date).exists():
        raise TravelError(
            _("%(group)s already has a meeting on %(date)s."),
            code="meeting_exists",
            params={"group": group.name, "date": date_words(date)},
        )
    with transaction.atomic():
        meeting = Meeting.objects.create(group=group, date=date, host=host, format=format, subject=subject)
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, party=p.party, mode=p.mode, vehicles=p.vehicles) for p in presences
        )
    return meeting


def _check_period_free(*, group: MeetingGroup, start: date_type, end: date_type) -> None:
    overlapping = TravelEqualisation.objects.filter(group=group, start__lte=end, end__gte=start).first()
    if overlapping is not None:
        raise TravelError(
            _("The travel of %(group)s from %(start)s to %(end)s is already in the pool %(pool)s; periods cannot overlap."),
            code="period_overlaps",
            params={
                "group": group.name,
                "start": date_words(overlapping.start),
                "end": date_words(overlapping.end),
                "pool": overlapping.pool.name,
            },
        )


def travel_equalise(
    *,
    group: MeetingGroup,
    start: date_type,
    end: date_type,
    prepared_by: AbstractBaseUser,
    rule: str = "equal",
    rule_params: dict | None = None,
    name: str = "",
    currency: str = settings.DEFAULT_CURRENCY,
) -> TravelEqualisation:
    """Put the group's travel of a period into a new cost pool of kind "travel", shared by all its members.

    Each member's travel is posted as an expense of the pool paid by that
    member (its position is credited with the travel it bore); the pool's
    cost is the total, so once its allocation is computed, approved and
    posted like any other, the positions clear in the settlement. A period
    of a group is equalised once: overlapping periods are refused.
    """
    if end < start:
        raise TravelError(_("The period ends before it starts."), code="period_reversed")
    if rule not in RULES:
        raise TravelError(_("Unknown allocation rule: %(rule)s."), code="unknown_rule", params={"rule": rule})
    rotation = group_rotation(group=group, start=start, end=end, currency=currency)
    total = rotation.total_cost
    if not total.amount:
        raise TravelError(
            _("Nobody travelled to the meetings of %(of_group)s from %(start)s to %(end)s: there is nothing to share."),
            code="no_travel",
            params={"of_group": de_name(group.name), "start": date_words(start), "end": date_words(end)},
        )
    name = name or _("Travel of %(of_group)s, %(start)s to %(end)s") % {
        "of_group": de_name(group.name),
        "start": date_words(start),
        "end": date_words(end),
    }
    with transaction.atomic():
        MeetingGroup.objects.select_for_update().get(pk=group.pk)
        _check_period_free(group=group, start=start, end=end)
        if CostPool.objects.filter(name=name).exists():
            raise TravelError(_("A pool is already named %(name)s."), code="pool_name_taken", params={"name": name})
        pool = CostPool.objects.create(
            kind=PoolKind.TRAVEL,
            name=name,
            budgeted_cost=total,
            start_date=start,
            end_date=end,
            rule=rule,
            rule_params=rule_params or {},
        )
        Participation.objects.bulk_create(Participation(pool=pool, party=burden.party) for burden in rotation.burdens)
        equalisation = TravelEqualisation.objects.create(
            group=group, start=start, end=end, pool=pool, km=rotation.total_km, prepared_by=prepared_by
        )
        expenses = [
            Expense(
                pool=pool,
                payer=burden.party,
                vendor=_("Travel to the meetings of %(of_group)s") % {"of_group": de_name(group.name)},
                date=end,
                amount=burden.cost,
                description=_("%(km)s from %(start)s to %(end)s, %(amount)s")
                % {"km": km_words(burden.km), "start": date_words(start), "end": date_words(end), "amount": money_format(burden.cost)},
            )
            for burden in rotation.burdens
            if burden.cost.amount
        ]
        expenses_record(expenses=expenses, posted_by=prepared_by)
    return equalisation
