"""What a grant is made of, checked before anything is written: its amount, period, budget and envelope.

:func:`grants.services.lifecycle.grant_check` runs them on a new grant, and
:mod:`grants.services.amendments` on an amendment, when it is proposed and
again when it is approved.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from moneyed import Money

from grants.errors import GrantError
from grants.models import BudgetLine, FundingProgramme, Grant, GrantBudgetLine
from grants.selectors import programme_available
from grants.services.amounts import amount_check_cents, amount_check_fits

GRANT_AMOUNT = Grant._meta.get_field("amount")
BUDGET_LINE_AMOUNT = GrantBudgetLine._meta.get_field("amount")


def grant_amount_check(*, amount: Money, programme: FundingProgramme) -> None:
    if not isinstance(amount, Money) or amount.amount <= 0:
        raise GrantError(_("A grant's amount must be positive."), code="amount_not_positive")
    amount_check_fits(amount=amount, field=GRANT_AMOUNT)
    amount_check_cents(amount=amount)
    if amount.currency.code != programme.currency:
        raise GrantError(
            _("The grant is in %(currency)s but its programme is kept in %(programme_currency)s; currencies are not converted."),
            code="currency_mismatch",
            params={"currency": amount.currency.code, "programme_currency": programme.currency},
        )


def grant_period_check(*, start_date: date, end_date: date) -> None:
    if end_date < start_date:
        raise GrantError(
            _("The grant ends on %(end)s, before it starts on %(start)s."),
            code="end_before_start",
            params={"end": end_date.isoformat(), "start": start_date.isoformat()},
        )


def grant_budget_check(*, budget: Mapping[str, Money], amount: Money) -> dict[str, Money]:
    lines: dict[str, Money] = {}
    currency = amount.currency.code
    for line, value in budget.items():
        if line not in BudgetLine.values:
            raise GrantError(_("Unknown budget line: %(line)s."), code="unknown_budget_line", params={"line": line})
        if not isinstance(value, Money) or value.currency.code != currency:
            raise GrantError(
                _("The budget line %(line)s must be an amount in %(currency)s, like the grant."),
                code="currency_mismatch",
                params={"line": BudgetLine(line).label, "currency": currency},
            )
        if value.amount < 0:
            raise GrantError(
                _("The budget line %(line)s is negative."), code="negative_budget_line", params={"line": BudgetLine(line).label}
            )
        amount_check_fits(amount=value, field=BUDGET_LINE_AMOUNT)
        amount_check_cents(amount=value)
        if value.amount:
            lines[line] = value
    total = sum((value.amount for value in lines.values()), Decimal("0"))
    if total != amount.amount:
        raise GrantError(
            _("The budget lines sum to %(total)s, not to the grant's amount of %(amount)s."),
            code="budget_mismatch",
            params={"total": Money(total, currency), "amount": amount},
        )
    return lines


def programme_available_check(*, programme: FundingProgramme, increase: Money) -> None:
    available = programme_available(programme=programme)
    if increase > available:
        raise GrantError(
            _(
                "The programme %(programme)s has %(available)s available; it cannot commit %(amount)s more. "
                "Nothing was changed."
            ),
            code="exceeds_available",
            params={"programme": str(programme), "available": available, "amount": increase},
        )
