"""Staff roles are Django groups; partner roles are memberships of a party."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

FINANCE_GROUP = "finance"
ADMINISTRATORS_GROUP = "administrators"


def _in_group(user: AbstractBaseUser | AnonymousUser, group: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=group).exists()


def is_administrator(user: AbstractBaseUser | AnonymousUser) -> bool:
    return _in_group(user, ADMINISTRATORS_GROUP)


def is_finance(user: AbstractBaseUser | AnonymousUser) -> bool:
    return _in_group(user, FINANCE_GROUP)


STAFF_APPS = ("ledger", "grants", "sharedcosts")
FINANCE_ACTIONS = ("view", "add", "change")


def staff_groups_ensure() -> None:
    """Create the two staff groups with their permissions; safe to repeat.

    Finance staff view, record and change the apps' data; administrators may
    also delete. Both run after every migration, so new models get their
    permissions without a manual step.
    """
    from django.contrib.auth.models import Group, Permission

    permissions = Permission.objects.filter(content_type__app_label__in=STAFF_APPS)
    finance, _ = Group.objects.get_or_create(name=FINANCE_GROUP)
    finance.permissions.add(*[p for p in permissions if p.codename.split("_", 1)[0] in FINANCE_ACTIONS])
    administrators, _ = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    administrators.permissions.add(*permissions)
