"""Reading programmes and grants: what is committed, disbursed and available.

- *committed*: the amounts of the programme's approved, active and closed
  grants, plus what was paid (and not reversed) on its cancelled grants;
- *disbursed*: read from the ledger, the net movements of the programme
  fund other than its funding (payments out, reversals back in);
- *available*: the envelope minus what is committed.

And a proposed amendment's changes, in words (:func:`amendment_changes`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from moneyed import Money

from grants.accounts import grants_received_code
from grants.models import AmendmentProposal, BudgetLine, FundingProgramme, Grant, GrantStatus, Instalment, InstalmentStatus
from ledger.models import Entry, FiscalPeriod, TransactionKind
from ledger.dates import date_words
from ledger.money import money_format
from ledger.selectors import year_movements

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))
COMMITTING = (GrantStatus.APPROVED, GrantStatus.ACTIVE, GrantStatus.CLOSED)


def _total(queryset: QuerySet, group_by: str, field: str = "amount") -> Subquery:
    return Subquery(queryset.values(group_by).annotate(total=Sum(field)).values("total")[:1])


def programmes_with_amounts(queryset: QuerySet[FundingProgramme] | None = None) -> QuerySet[FundingProgramme]:
    """Programmes annotated with ``committed_total``, ``paid_on_cancelled`` and ``disbursed_total`` (Decimals)."""
    queryset = queryset if queryset is not None else FundingProgramme.objects.all()
    return queryset.annotate(
        committed_total=Coalesce(
            _total(Grant.objects.filter(programme=OuterRef("pk"), status__in=COMMITTING), "programme"), ZERO
        ),
        paid_on_cancelled=Coalesce(
            _total(
                Instalment.objects.filter(
                    grant__programme=OuterRef("pk"), grant__status=GrantStatus.CANCELLED, status=InstalmentStatus.PAID
                ),
                "grant__programme",
            ),
            ZERO,
        ),
        disbursed_total=Coalesce(
            _total(
                Entry.objects.filter(account=OuterRef("fund_account"))
                .exclude(transaction__kind=TransactionKind.FUNDING)
                .exclude(transaction__reverses__kind=TransactionKind.FUNDING),
                "account",
            ),
            ZERO,
        ),
    )


@dataclass(frozen=True)
class ProgrammeAmounts:
    envelope: Money
    committed: Money
    disbursed: Money
    available: Money


def programme_amounts(*, programme: FundingProgramme) -> ProgrammeAmounts:
    """The envelope, committed, disbursed and available amounts of a programme, in one query."""
    row = programmes_with_amounts(FundingProgramme.objects.filter(pk=programme.pk)).get()
    return amounts_of(row)


def amounts_of(programme: FundingProgramme) -> ProgrammeAmounts:
    """The amounts of a programme read from :func:`programmes_with_amounts`' annotations."""
    currency = programme.currency
    committed = Money(programme.committed_total + programme.paid_on_cancelled, currency)
    return ProgrammeAmounts(
        envelope=programme.amount,
        committed=committed,
        disbursed=Money(Decimal(0) - programme.disbursed_total, currency),
        available=programme.amount - committed,
    )


def programme_available(*, programme: FundingProgramme) -> Money:
    return programme_amounts(programme=programme).available


def grants_received(
    *, period: FiscalPeriod, party_ids: Iterable[int], currencies: Iterable[str] | None = None
) -> dict[tuple[int, str], Money]:
    """What each party received in grants during the fiscal period, net of reversals, by currency.

    Read from the parties' *grants received* accounts, ``GR-<party>-<currency>``
    as :mod:`grants.accounts` names them.
    Every currency the site keeps, unless the caller names the few it shows.
    Read from the year's movements the database keeps, not from the entries.
    Keyed by ``(party id, currency)``; a party that received nothing in a
    currency is left out. One query.
    """
    party_ids = list(party_ids)
    codes = {
        grants_received_code(party_id, currency): (party_id, currency)
        for currency in (currencies or settings.CURRENCIES)
        for party_id in party_ids
    }
    moved = year_movements(start_year=period.start_year, by="account__code", account__code__in=list(codes))
    return {codes[code]: Money(total, codes[code][1]) for code, total in moved.items()}


def amendment_changes(*, proposal: AmendmentProposal) -> list[str]:
    """What a proposed amendment changes, one sentence a change, from its frozen inputs: what the approver reads.

    Every amendment of money plans the unpaid instalments again, so the last sentence always says so.
    """
    changes = []
    if proposal.new_amount != proposal.previous_amount:
        changes.append(
            _("Amount: %(before)s becomes %(after)s.")
            % {"before": money_format(proposal.previous_amount), "after": money_format(proposal.new_amount)}
        )
    if proposal.new_end_date != proposal.previous_end_date:
        changes.append(
            _("End date: %(before)s becomes %(after)s.")
            % {"before": date_words(proposal.previous_end_date), "after": date_words(proposal.new_end_date)}
        )
    currency = proposal.new_amount.currency
    for line in BudgetLine:
        before = Money(proposal.previous_budget.get(line.value, "0"), currency)
        after = Money(proposal.new_budget.get(line.value, "0"), currency)
        if before != after:
            changes.append(
                _("Budget line %(line)s: %(before)s becomes %(after)s.")
                % {"line": line.label, "before": money_format(before), "after": money_format(after)}
            )
    changes.append(_("The unpaid instalments are planned again over the schedule's dates still to come."))
    return changes


def report_spending_lines(*, grant: Grant, spending: dict[str, str] | None) -> list[tuple[str, Money]]:
    """A report's spending as (the budget line's label, the amount in the grant's currency), in the budget's order."""
    spending = spending or {}
    order = {line: position for position, line in enumerate(BudgetLine.values)}
    return [
        (str(BudgetLine(line).label) if line in BudgetLine.values else line, Money(amount, grant.amount.currency))
        for line, amount in sorted(spending.items(), key=lambda item: order.get(item[0], len(order)))
    ]
