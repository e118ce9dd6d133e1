"""Reading the ledger: balances and statements, computed by the database."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, QuerySet, Sum, Window
from moneyed import Money

from ledger.models import Account, Entry, Party


def _entries(*, as_of: date | None = None) -> QuerySet[Entry]:
    entries = Entry.objects.all()
    if as_of is not None:
        entries = entries.filter(date__lte=as_of)
    return entries


def _by_currency(entries: QuerySet[Entry]) -> dict[str, Money]:
    rows = entries.values("amount_currency").annotate(total=Sum("amount")).order_by("amount_currency")
    return {row["amount_currency"]: Money(row["total"], row["amount_currency"]) for row in rows}


def account_balance(*, account: Account, as_of: date | None = None) -> Money:
    """The sum of the account's entries, up to and including ``as_of``."""
    total = _entries(as_of=as_of).filter(account=account).aggregate(total=Sum("amount"))["total"]
    return Money(total or Decimal("0.00"), account.currency)


def party_balances(*, party: Party, as_of: date | None = None) -> dict[str, Money]:
    """A party's balance over all its accounts, by currency."""
    return _by_currency(_entries(as_of=as_of).filter(account__party=party))


def account_balances(*, accounts: QuerySet[Account], as_of: date | None = None) -> dict[int, Money]:
    """The balance of each of ``accounts`` in one query; accounts with no entry are zero."""
    totals = dict(
        _entries(as_of=as_of)
        .filter(account__in=accounts)
        .values("account")
        .annotate(total=Sum("amount"))
        .values_list("account", "total")
    )
    return {
        account.pk: Money(totals.get(account.pk, Decimal("0.00")), account.currency)
        for account in accounts.only("pk", "currency")
    }


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

    The opening balance and the running sum are computed by the database (a
    window over the entries of the period), so a long history costs one pass.
    """
    own_entries = Entry.objects.filter(account__party=party, amount_currency=currency)
    opening_total = own_entries.filter(date__lt=start).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
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
