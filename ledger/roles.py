"""Staff roles are Django groups; partner roles are memberships of a party."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from ledger.errors import DomainError

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


def is_staff_member(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Finance staff or an administrator: the people who record the partnership's books."""
    return user is not None and (is_finance(user) or is_administrator(user))


def require_staff(user: AbstractBaseUser | AnonymousUser | None, *, error: type[DomainError], message: str) -> None:
    """Refuse an actor who is neither finance staff nor an administrator: ``error(message)``, code ``not_staff``.

    Each app raises its own error class with its own wording, so a refusal
    reads the same as the app's other refusals.
    """
    if not is_staff_member(user):
        raise error(message, code="not_staff")


def require_administrator(
    user: AbstractBaseUser | AnonymousUser | None, *, error: type[DomainError], message: str
) -> None:
    """Refuse an actor who is not an administrator: ``error(message)``, code ``not_administrator``."""
    if user is None or not is_administrator(user):
        raise error(message, code="not_administrator")


STAFF_APPS = ("ledger", "grants", "sharedcosts", "spreadsheets")
FINANCE_ACTIONS = ("view", "add", "change")
# Administrators also see the failed logins that django-axes counted, and unlock a
# login by deleting its attempts.
LOGIN_LOCK_PERMISSIONS = ("view_accessattempt", "delete_accessattempt", "view_accesslog", "view_accessfailurelog")


def staff_groups_ensure() -> None:
    """Create the two staff groups with their permissions; safe to repeat.

    Finance staff view, record and change the apps' data; administrators may
    also delete, and unlock a login that failed too often. Both run after every migration, so new models get their
    permissions without a manual step.
    """
    from django.contrib.auth.models import Group, Permission

    permissions = Permission.objects.filter(content_type__app_label__in=STAFF_APPS)
    finance, _ = Group.objects.get_or_create(name=FINANCE_GROUP)
    finance.permissions.add(*[p for p in permissions if p.codename.split("_", 1)[0] in FINANCE_ACTIONS])
    administrators, _ = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    administrators.permissions.add(*permissions)
    administrators.permissions.add(
        *Permission.objects.filter(content_type__app_label="axes", codename__in=LOGIN_LOCK_PERMISSIONS)
    )
