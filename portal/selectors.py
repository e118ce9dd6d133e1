"""What a partner user may see, always read through a query filtered by membership.

Every object a portal page shows is fetched from a queryset that already
names the party, and the party itself from :func:`parties_for_user`: an
organisation the user is not a member of does not exist for them (a 404,
never a 403). Finance staff and administrators see every organisation.

Each function reads in a fixed number of queries, whatever the number of
grants, reports or pools of the organisation.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from moneyed import Money

from grants.models import (
    Grant,
    GrantStatus,
    Instalment,
    InstalmentStatus,
    ProjectReport,
    ReportAttachment,
    ReportRequirement,
    ReportStatus,
)
from ledger.models import Party
from ledger.roles import is_administrator, is_finance
from ledger.selectors import balances_by_code
from sharedcosts.models import AllocationShare, AllocationStatus, Participation

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))
VISIBLE_GRANTS = (GrantStatus.APPROVED, GrantStatus.ACTIVE, GrantStatus.CLOSED)


def is_staff_viewer(user: AbstractBaseUser | AnonymousUser) -> bool:
    return is_finance(user) or is_administrator(user)


def parties_for_user(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Party]:
    """The organisations the user may look at: their memberships, or every one for staff."""
    if not user.is_authenticated or not user.is_active:
        return Party.objects.none()
    if is_staff_viewer(user):
        return Party.objects.all()
    return Party.objects.filter(memberships__user=user).distinct()


def party_for_user(user: AbstractBaseUser | AnonymousUser, party_id: int) -> Party:
    party = parties_for_user(user).filter(pk=party_id).first()
    if party is None:
        raise Http404
    return party


def grants_of(party: Party) -> QuerySet[Grant]:
    """The party's grants with ``paid_total`` and ``cancelled_total`` (Decimals), in one query."""
    paid = (
        Instalment.objects.filter(grant=OuterRef("pk"), status=InstalmentStatus.PAID)
        .values("grant")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    cancelled = (
        Instalment.objects.filter(grant=OuterRef("pk"), status=InstalmentStatus.CANCELLED)
        .values("grant")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return (
        Grant.objects.filter(party=party, status__in=VISIBLE_GRANTS)
        .select_related("programme")
        .annotate(paid_total=Coalesce(Subquery(paid), ZERO), cancelled_total=Coalesce(Subquery(cancelled), ZERO))
        .order_by("-start_date", "title")
    )


@dataclass(frozen=True)
class GrantRow:
    grant: Grant
    amount: Money
    paid: Money
    to_come: Money


def grant_rows(party: Party) -> list[GrantRow]:
    rows = []
    for grant in grants_of(party):
        paid = Money(grant.paid_total, grant.currency)
        to_come = grant.amount - paid - Money(grant.cancelled_total, grant.currency)
        rows.append(GrantRow(grant=grant, amount=grant.amount, paid=paid, to_come=to_come))
    return rows


def instalments_of(party: Party) -> QuerySet[Instalment]:
    return Instalment.objects.filter(grant__party=party, grant__status__in=VISIBLE_GRANTS).select_related("grant")


def next_instalments(party: Party, *, limit: int = 5) -> list[Instalment]:
    return list(
        instalments_of(party)
        .filter(status__in=(InstalmentStatus.SCHEDULED, InstalmentStatus.FAILED))
        .order_by("due_date", "pk")[:limit]
    )


def requirements_of(party: Party) -> QuerySet[ReportRequirement]:
    """The party's report requirements with their report (``report`` may be missing)."""
    return (
        ReportRequirement.objects.filter(grant__party=party, grant__status__in=VISIBLE_GRANTS)
        .select_related("grant", "report")
        .order_by("due_date", "pk")
    )


def report_state(requirement: ReportRequirement, today: date) -> str:
    """``accepted``, ``submitted``, ``changes_requested``, ``late`` or ``due``."""
    report = getattr(requirement, "report", None)
    status = report.status if report is not None else ReportStatus.DRAFT
    if status == ReportStatus.ACCEPTED:
        return "accepted"
    if status in (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED):
        return "submitted"
    if status == ReportStatus.CHANGES_REQUESTED:
        return "changes_requested"
    return "late" if requirement.due_date < today else "due"


@dataclass(frozen=True)
class HeldInstalment:
    instalment: Instalment
    releases: list[ReportRequirement]


def held_instalments(party: Party, requirements: list[ReportRequirement], today: date) -> list[HeldInstalment]:
    """Held instalments with the overdue reports whose acceptance releases them (one query)."""
    blocking: dict[int, list[ReportRequirement]] = {}
    for requirement in requirements:
        if report_state(requirement, today) != "accepted" and requirement.due_date < today:
            blocking.setdefault(requirement.grant_id, []).append(requirement)
    held = instalments_of(party).filter(status=InstalmentStatus.HELD).order_by("due_date", "pk")
    return [HeldInstalment(instalment=i, releases=blocking.get(i.grant_id, [])) for i in held]


@dataclass(frozen=True)
class PoolRow:
    participation: Participation
    share: Money | None
    balance: Money


def pool_rows(party: Party) -> list[PoolRow]:
    """The party's participations with its posted share and its position in each pool (two queries)."""
    share = (
        AllocationShare.objects.filter(
            party=party, allocation__pool=OuterRef("pool"), allocation__status=AllocationStatus.POSTED
        )
        .order_by("-allocation__version")
        .values("amount")[:1]
    )
    participations = list(
        Participation.objects.filter(party=party)
        .select_related("pool")
        .annotate(share_amount=Subquery(share))
        .order_by("-pool__start_date", "pool__name")
    )
    codes = [p.pool.position_account_code(party.pk) for p in participations]
    totals = balances_by_code(codes=codes) if codes else {}
    rows = []
    for p in participations:
        currency = p.pool.currency
        rows.append(
            PoolRow(
                participation=p,
                share=Money(p.share_amount, currency) if p.share_amount is not None else None,
                balance=Money(totals.get(p.pool.position_account_code(party.pk), Decimal("0.00")), currency),
            )
        )
    return rows


def pools_position(rows: list[PoolRow]) -> list[Money]:
    """The party's position across all its pools: the sum of its balances, one amount per currency."""
    totals: dict[str, Money] = {}
    for row in rows:
        code = row.balance.currency.code
        totals[code] = totals[code] + row.balance if code in totals else row.balance
    return [totals[code] for code in sorted(totals)]


def party_currencies(party: Party) -> list[str]:
    currencies = set(party.accounts.values_list("currency", flat=True))
    return sorted(currencies) or ["CAD"]


def requirement_for_user(party: Party, requirement_id: int) -> ReportRequirement:
    requirement = (
        ReportRequirement.objects.filter(grant__party=party, grant__status__in=VISIBLE_GRANTS, pk=requirement_id)
        .select_related("grant__party", "report")
        .first()
    )
    if requirement is None:
        raise Http404
    return requirement


def attachment_for_user(party: Party, requirement_id: int, attachment_id: int) -> ReportAttachment:
    attachment = ReportAttachment.objects.filter(
        pk=attachment_id,
        report__requirement_id=requirement_id,
        report__requirement__grant__party=party,
        report__requirement__grant__status__in=VISIBLE_GRANTS,
    ).first()
    if attachment is None:
        raise Http404
    return attachment


def report_of(requirement: ReportRequirement) -> ProjectReport | None:
    return getattr(requirement, "report", None)

