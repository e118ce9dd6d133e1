"""What finance staff and administrators need to act on, for a fiscal year and a currency.

Every figure reads the same selectors as the rest of the product (the
programmes' amounts, the pools' positions), or the ledger itself, so the
dashboard's totals are the ledger's. Each figure carries the address of the
admin list behind it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, Sum
from django.urls import reverse
from moneyed import Money

from grants.models import (
    AmendmentProposal,
    FundingProgramme,
    Grant,
    GrantStatus,
    Instalment,
    InstalmentStatus,
    ProjectReport,
    ProposalStatus,
    ReportRequirement,
    ReportStatus,
)
from grants.selectors import amounts_of, programmes_with_amounts
from grants.services.instalments import UNPAID
from ledger.dates import add_months
from ledger.memo_words import transaction_line, transactions_memos
from ledger.models import Entry, FiscalPeriod, Party, Transaction, TransactionKind
from ledger.roles import is_administrator
from ledger.selectors import balances_by_code
from ledger.words import name_sort_key
from sharedcosts.models import Allocation, AllocationStatus, CostPool
from sharedcosts.recurring.selectors import Occurrence, recurring_between
from sharedcosts.selectors import fiscal_year_pools

UPCOMING_MONTHS = 3
LATEST_POSTINGS = 10


def admin_list(model: type, **filters: object) -> str:
    """The admin list of ``model`` filtered as the figure that links to it counts."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


@dataclass(frozen=True)
class ProgrammeLine:
    programme: FundingProgramme
    envelope: Money
    committed: Money
    disbursed: Money
    available: Money
    url: str

    def percent(self, part: Money) -> int:
        """Of the envelope, for the bar: 0 to 100."""
        if not self.envelope.amount:
            return 0
        return max(0, min(100, int(part.amount * 100 / self.envelope.amount)))

    @property
    def committed_percent(self) -> int:
        return self.percent(self.committed)

    @property
    def disbursed_percent(self) -> int:
        return self.percent(self.disbursed)


@dataclass(frozen=True)
class MonthLine:
    first_day: date
    count: int
    total: Money
    url: str


@dataclass(frozen=True)
class PoolLine:
    pool: CostPool
    expenses: Money
    shares_posted: Money
    owing: list[tuple[Party, Money]]
    url: str

    @property
    def not_allocated(self) -> Money:
        """What the pool has spent that no posted allocation has shared yet."""
        return self.expenses - self.shares_posted


@dataclass(frozen=True)
class Approvals:
    grants: list[Grant]
    allocations: list[Allocation]
    amendments: list[AmendmentProposal]

    def __len__(self) -> int:
        return len(self.grants) + len(self.allocations) + len(self.amendments)


@dataclass(frozen=True)
class Dashboard:
    start_year: int
    currency: str
    today: date
    programmes: list[ProgrammeLine]
    months: list[MonthLine]
    held: list[Instalment]
    held_url: str
    overdue: list[ReportRequirement]
    waiting_review: list[ProjectReport]
    waiting_review_url: str
    pools: list[PoolLine]
    latest: list[tuple[Transaction, str, Money]]
    approvals: Approvals | None = None
    years: list[int] = field(default_factory=list)
    recurring: list[Occurrence] = field(default_factory=list)

    @property
    def pools_not_allocated(self) -> list[PoolLine]:
        """The pools that spent more than their posted shares: expenses still to share."""
        return [line for line in self.pools if line.not_allocated.amount > 0]

    @property
    def pools_over_allocated(self) -> list[PoolLine]:
        """The pools whose posted shares exceed the expenses recorded (shares posted before the expenses)."""
        return [line for line in self.pools if line.not_allocated.amount < 0]

    @property
    def period(self) -> str:
        return str(FiscalPeriod(start_year=self.start_year))


def dashboard_years() -> list[int]:
    """The fiscal years that have a programme or a pool, newest first, with the current one."""
    years = set(FundingProgramme.objects.values_list("fiscal_year", flat=True))
    years |= {FiscalPeriod.year_of(start) for start in CostPool.objects.values_list("start_date", flat=True)}
    return sorted(years, reverse=True)


def _programmes(start_year: int, currency: str) -> list[ProgrammeLine]:
    programmes = programmes_with_amounts(
        FundingProgramme.objects.filter(fiscal_year=start_year, amount_currency=currency).order_by("name")
    )
    lines = []
    for programme in programmes:
        amounts = amounts_of(programme)
        lines.append(
            ProgrammeLine(
                programme=programme,
                envelope=amounts.envelope,
                committed=amounts.committed,
                disbursed=amounts.disbursed,
                available=amounts.available,
                url=admin_list(Grant, programme__id__exact=programme.pk),
            )
        )
    return lines


def _months(today: date, currency: str) -> list[MonthLine]:
    """The instalments still to pay in this month and the next ones, by month (one query).

    Each month counts exactly what the instalments' list it links to shows: the
    unpaid instalments due that month in the currency, as the list's own
    "in the next 30 days" filter counts them.
    """
    first = today.replace(day=1)
    end = add_months(first, UPCOMING_MONTHS)
    rows = Instalment.objects.filter(
        due_date__gte=first, due_date__lt=end, amount_currency=currency, status__in=UNPAID
    ).values_list("due_date", "amount")
    counts: dict[date, int] = defaultdict(int)
    totals: dict[date, Decimal] = defaultdict(Decimal)
    for due_date, amount in rows:
        counts[due_date.replace(day=1)] += 1
        totals[due_date.replace(day=1)] += amount
    months = []
    for offset in range(UPCOMING_MONTHS):
        month = add_months(first, offset)
        months.append(
            MonthLine(
                first_day=month,
                count=counts[month],
                total=Money(totals[month], currency),
                url=admin_list(
                    Instalment,
                    due_date__gte=month.isoformat(),
                    due_date__lt=add_months(month, 1).isoformat(),
                    amount_currency=currency,
                    status__in=",".join(UNPAID),
                ),
            )
        )
    return months


def _pools(start_year: int, currency: str) -> list[PoolLine]:
    """Each pool of the year: what it spent and shared, read from its accounts, and who owes it.

    The pool's cost account falls with each expense and in-kind contribution
    (and rises back with their reversals), and rises with each share posted.
    """
    pools = [pool for pool in fiscal_year_pools(start_year).order_by("name") if pool.currency == currency]
    cost_codes = {pool.cost_account_code: pool for pool in pools}
    moved = (
        Entry.objects.filter(account__code__in=list(cost_codes))
        .values("account__code")
        .annotate(
            allocated=Sum("amount", filter=Q(transaction__kind=TransactionKind.ALLOCATION)),
            spent=Sum("amount", filter=~Q(transaction__kind=TransactionKind.ALLOCATION)),
        )
    )
    spent = {row["account__code"]: -(row["spent"] or Decimal(0)) for row in moved}
    allocated = {row["account__code"]: row["allocated"] or Decimal(0) for row in moved}
    positions = _positions(pools)
    lines = []
    for pool in pools:
        code = pool.cost_account_code
        owing = sorted(
            ((party, -balance) for party, balance in positions.get(pool.pk, []) if balance.amount < 0),
            key=lambda item: (-item[1].amount, name_sort_key(item[0].name)),
        )
        lines.append(
            PoolLine(
                pool=pool,
                expenses=Money(spent.get(code, Decimal(0)), currency),
                shares_posted=Money(allocated.get(code, Decimal(0)), currency),
                owing=owing,
                url=reverse("admin:sharedcosts_costpool_change", args=[pool.pk]),
            )
        )
    return lines


def _positions(pools: list[CostPool]) -> dict[int, list[tuple[Party, Money]]]:
    """Each pool's party positions (what they paid and gave in kind minus their share), in one query."""
    by_code: dict[str, tuple[CostPool, Party]] = {}
    for pool in pools:
        for participation in pool.participations.select_related("party"):
            by_code[pool.position_account_code(participation.party_id)] = (pool, participation.party)
    balance = balances_by_code(codes=list(by_code))
    positions: dict[int, list[tuple[Party, Money]]] = defaultdict(list)
    for code, (pool, party) in by_code.items():
        positions[pool.pk].append((party, Money(balance.get(code, Decimal(0)), pool.currency)))
    return positions


def _latest(start_year: int, currency: str) -> list[tuple[Transaction, str, Money]]:
    """The latest postings of the fiscal year in the currency, latest date first, each with its line in the reader's language and the money it moved.

    The line is the statement's (:func:`ledger.memo_words.transaction_line`): written by the app that
    posted it, else the stored memo, else the kind; the money is the sum of the positive entries.
    """
    moved = Sum("entries__amount", filter=Q(entries__amount__gt=0, entries__amount_currency=currency))
    period = FiscalPeriod(start_year=start_year)
    transactions = (
        Transaction.objects.filter(
            date__range=(period.start_date, period.end_date), entries__amount_currency=currency
        )
        .annotate(moved=moved, entry_count=Count("entries"))
        .order_by("-date", "-posted_at", "-id")[:LATEST_POSTINGS]
    )
    transactions = list(transactions)
    memos = transactions_memos(transactions=transactions)
    return [(txn, transaction_line(txn, memos), Money(txn.moved or 0, currency)) for txn in transactions]


def _approvals(user: AbstractBaseUser) -> Approvals:
    """What waits for an administrator's approval, except what this administrator prepared."""
    return Approvals(
        grants=list(
            Grant.objects.filter(status=GrantStatus.DRAFT).exclude(created_by=user).select_related("party").order_by("created_at")
        ),
        allocations=list(
            Allocation.objects.filter(status=AllocationStatus.DRAFT)
            .exclude(prepared_by=user)
            .select_related("pool")
            .order_by("prepared_at")
        ),
        amendments=list(
            AmendmentProposal.objects.filter(status=ProposalStatus.PROPOSED)
            .exclude(proposed_by=user)
            .select_related("grant")
            .order_by("proposed_at")
        ),
    )


def dashboard_compose(*, user: AbstractBaseUser, start_year: int, currency: str, today: date) -> Dashboard:
    """The dashboard of ``user`` (finance staff or an administrator) for a fiscal year and a currency."""
    overdue = list(
        ReportRequirement.objects.filter(due_date__lt=today, grant__status__in=[GrantStatus.APPROVED, GrantStatus.ACTIVE])
        .exclude(report__status=ReportStatus.ACCEPTED)
        .select_related("grant__party")
        .order_by("due_date", "pk")
    )
    waiting = [ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED]
    return Dashboard(
        start_year=start_year,
        currency=currency,
        today=today,
        programmes=_programmes(start_year, currency),
        months=_months(today, currency),
        held=list(
            Instalment.objects.filter(status=InstalmentStatus.HELD, amount_currency=currency)
            .select_related("grant__party")
            .order_by("due_date", "pk")
        ),
        held_url=admin_list(Instalment, status__exact=InstalmentStatus.HELD),
        overdue=overdue,
        waiting_review=list(
            ProjectReport.objects.filter(status__in=waiting).select_related("requirement__grant__party").order_by("pk")
        ),
        waiting_review_url=admin_list(ProjectReport, status__in=",".join(waiting)),
        pools=_pools(start_year, currency),
        latest=_latest(start_year, currency),
        approvals=_approvals(user) if is_administrator(user) else None,
        years=dashboard_years(),
        recurring=_recurring(today, currency),
    )


def _recurring(today: date, currency: str) -> list[Occurrence]:
    """The recurring expenses still to post in this month and the next ones, as the instalments' months."""
    first = today.replace(day=1)
    last = add_months(first, UPCOMING_MONTHS) - timedelta(days=1)
    return [o for o in recurring_between(first=first, last=last) if o.amount.currency.code == currency]
