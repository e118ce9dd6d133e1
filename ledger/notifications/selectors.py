"""Reading the notification system: who hears of an event, and what a person may turn off."""

from collections import defaultdict
from collections.abc import Collection

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from ledger.models import Membership, MembershipRole
from ledger.notifications.models import STAFF_KINDS, NotificationKind, NotificationOptOut
from ledger.roles import FINANCE_GROUP, is_finance


def party_members(*, party_ids: Collection[int]) -> dict[int, list[int]]:
    """The user ids of each party's members (one query)."""
    members: dict[int, list[int]] = defaultdict(list)
    for party_id, user_id in Membership.objects.filter(party_id__in=party_ids).values_list("party_id", "user_id"):
        members[party_id].append(user_id)
    return members


def party_finance_contacts(*, party_ids: Collection[int]) -> dict[int, list[int]]:
    """Each party's members whose role is "partner finance", or all its members where none has it (one query)."""
    by_role: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    rows = Membership.objects.filter(party_id__in=party_ids).values_list("party_id", "role", "user_id")
    for party_id, role, user_id in rows:
        by_role[party_id][role].append(user_id)
    return {
        party_id: roles[MembershipRole.FINANCE] or [user for users in roles.values() for user in users]
        for party_id, roles in by_role.items()
    }


def finance_staff() -> list[int]:
    """The user ids of the finance staff group (one query)."""
    return list(get_user_model().objects.filter(groups__name=FINANCE_GROUP).values_list("pk", flat=True))


def notification_kinds_offered(*, user: AbstractBaseUser) -> list[str]:
    """The kinds a person may hear of: the partners' kinds for a member, the staff's for finance staff."""
    kinds = []
    if Membership.objects.filter(user=user).exists():
        kinds += [kind for kind in NotificationKind.values if kind not in STAFF_KINDS]
    if is_finance(user):
        kinds += list(STAFF_KINDS)
    return kinds


def notification_preferences(*, user: AbstractBaseUser) -> list[tuple[str, str, bool]]:
    """Each kind offered to the person as (kind, label, on) (two or three queries)."""
    off = set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return [(kind, NotificationKind(kind).label, kind not in off) for kind in notification_kinds_offered(user=user)]
