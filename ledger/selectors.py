"""Reading the ledger: balances and statements, from what the database keeps.

Today's balances are read from the shares the database keeps for each
account (:class:`ledger.models.AccountBalance`): a bounded handful of rows
whatever the account's history. A balance as of a date is its fiscal year's
opening balance (the account's movements of the years before,
:class:`ledger.models.AccountPeriodMovement`) plus its movements of each day
of that year up to the date (:class:`ledger.models.AccountDayMovement`):
bounded by the days of one year, never by the number of entries.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet, Sum, Window
from moneyed import Money

from ledger.models import (
    Account,
    AccountBalance,
    AccountDayMovement,
    AccountPeriodMovement,
    Entry,
    FiscalPeriod,
    Party,
)


def _kept_rows(*, as_of: date | None) -> list[QuerySet]:
    """The kept rows whose sum is each account's balance today, or at the end of the day ``as_of``.

    As of the last day of a fiscal year, the years up to it are enough.
    """
    if as_of is None:
        return [AccountBalance.objects.all()]
    year = FiscalPeriod.year_of(as_of)
    period = FiscalPeriod(start_year=year)
    if as_of == period.end_date:
        return [AccountPeriodMovement.objects.filter(start_year__lte=year)]
    return [
        AccountPeriodMovement.objects.filter(start_year__lt=year),
        AccountDayMovement.objects.filter(day__gte=period.start_date, day__lte=as_of),
    ]


def _kept_totals(*, as_of: date | None, by: str, **accounts: Any) -> dict[Any, Decimal]:
    """The balances of the accounts matching the filter ``accounts`` (``account__party=...``), summed by ``by``.

    ``by`` is a path from the kept rows (``"account"``, ``"account__code"``,
    ``"amount_currency"``). One query; accounts with nothing kept are left out.
    """
    grouped = [
        rows.filter(**accounts).order_by().values_list(by).annotate(total=Sum("amount")).values_list(by, "total")
        for rows in _kept_rows(as_of=as_of)
    ]
    totals: dict[Any, Decimal] = defaultdict(Decimal)
    for key, total in grouped[0].union(*grouped[1:], all=True):
        totals[key] += total
    return dict(totals)


def account_balance(*, account: Account, as_of: date | None = None) -> Money:
    """The account's balance today, or at the end of the day ``as_of``."""
    total = _kept_totals(as_of=as_of, by="account", account=account).get(account.pk, Decimal("0.00"))
    return Money(total, account.currency)


def party_balances(*, party: Party, as_of: date | None = None) -> dict[str, Money]:
    """A party's balance over all its accounts, by currency."""
    totals = _kept_totals(as_of=as_of, by="amount_currency", account__party=party)
    return {currency: Money(totals[currency], currency) for currency in sorted(totals)}


def account_balances(*, accounts: QuerySet[Account], as_of: date | None = None) -> dict[int, Money]:
    """The balance of each of ``accounts`` in two queries; accounts with no entry are zero."""
    totals = _kept_totals(as_of=as_of, by="account", account__in=accounts)
    return {
        account.pk: Money(totals.get(account.pk, Decimal("0.00")), account.currency)
        for account in accounts.only("pk", "currency")
    }


def balances_by_code(*, codes: list[str], as_of: date | None = None) -> dict[str, Decimal]:
    """The balance of each account named in ``codes``, by code, in one query; an account with nothing kept is left out."""
    return _kept_totals(as_of=as_of, by="account__code", account__code__in=codes)


def year_movements(*, start_year: int, by: str, **accounts: Any) -> dict[Any, Decimal]:
    """What the accounts matching ``accounts`` moved in the fiscal year, net, summed by ``by`` (one query).

    ``by`` and ``accounts`` read as in :func:`_kept_totals`; accounts that did not move are left out.
    """
    rows = AccountPeriodMovement.objects.filter(start_year=start_year, **accounts).order_by().values_list(by)
    return dict(rows.annotate(total=Sum("amount")).values_list(by, "total"))


@dataclass(frozen=True)
class StatementLine:
    date: date
    transaction_id: int
    kind: str
    memo: str
    account_code: str
    amount: Money
    balance: Money


@dataclass(frozen=True)
class Statement:
    party: Party
    currency: str
    start: date
    end: date
    opening: Money
    lines: list[StatementLine]
    closing: Money


def party_statement(*, party: Party, start: date, end: date, currency: str) -> Statement:
    """A party's movements between two dates, with the running balance.

    The opening balance is read from what the database keeps (the day before
    ``start``), the running sum computed by the database (a window over the
    entries of the statement's dates), so a long history costs nothing more.
    """
    own_entries = Entry.objects.filter(account__party=party, amount_currency=currency)
    opening_total = _kept_totals(
        as_of=start - timedelta(days=1), by="amount_currency", account__party=party, amount_currency=currency
    ).get(currency, Decimal("0.00"))
    rows = (
        own_entries.filter(date__gte=start, date__lte=end)
        .annotate(
            running=Window(Sum("amount"), order_by=[F("date").asc(), F("transaction_id").asc(), F("id").asc()]),
        )
        .order_by("date", "transaction_id", "id")
        .values_list(
            "date", "transaction_id", "transaction__kind", "transaction__memo", "account__code", "amount", "running"
        )
    )
    lines = [
        StatementLine(
            date=day,
            transaction_id=transaction_id,
            kind=kind,
            memo=memo,
            account_code=account_code,
            amount=Money(amount, currency),
            balance=Money(opening_total + running, currency),
        )
        for day, transaction_id, kind, memo, account_code, amount, running in rows
    ]
    closing = lines[-1].balance if lines else Money(opening_total, currency)
    return Statement(
        party=party,
        currency=currency,
        start=start,
        end=end,
        opening=Money(opening_total, currency),
        lines=lines,
        closing=closing,
    )
