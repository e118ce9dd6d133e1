"""Why an instalment may have to wait: the small interface for holds.

A grant's instalments are held while something owed by the partner is
missing, typically a required project report that is overdue. The reports
themselves belong to a later feature; it plugs in here without this app
knowing about it:

1. It registers a *hold provider* (usually in its ``AppConfig.ready``)::

       from grants.holds import HoldReason, hold_provider_register

       def overdue_reports(grants, today):
           return {grant.pk: HoldReason(code="overdue_report", message=...) for grant in ... overdue ...}

       hold_provider_register(overdue_reports)

   The daily run asks every provider once, with all the grants whose due
   instalments it is about to pay and whose programme holds payments for an
   overdue report (``FundingProgramme.holds_on_overdue_report``). An
   instalment of a grant that a provider names is marked held, with the
   reason shown to staff, instead of being paid.

2. When the report is accepted it calls
   :func:`grants.services.grant_holds_release` for the grant: the held
   instalments are scheduled again and paid at the next run.

:func:`grants.services.instalments_hold` holds a grant's unpaid instalments
directly (staff, or a feature that prefers to push rather than be asked).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grants.models import Grant


@dataclass(frozen=True)
class HoldReason:
    """Why a grant's instalments wait: a short code and a translated message."""

    code: str
    message: str


HoldProvider = Callable[[Sequence["Grant"], date], Mapping[int, HoldReason]]
"""Given grants and the day of the run, the reasons to hold by grant id (absent: no hold)."""

_providers: list[HoldProvider] = []


def hold_provider_register(provider: HoldProvider) -> HoldProvider:
    """Add a provider (once; registering it again does nothing). Usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def hold_provider_unregister(provider: HoldProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def hold_reasons(*, grants: Sequence["Grant"], today: date) -> dict[int, HoldReason]:
    """The first reason any provider gives to hold each of ``grants``."""
    reasons: dict[int, HoldReason] = {}
    if not grants:
        return reasons
    for provider in _providers:
        for grant_id, reason in provider(grants, today).items():
            reasons.setdefault(grant_id, reason)
    return reasons
