"""Reading the ledger: balances and statements, computed by the database.

Today's balances are read from the shares the database keeps for each
account (:class:`ledger.models.AccountBalance`): a bounded handful of rows
whatever the account's history. A balance as of a date sums the entries up
to it through their index of account and date.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, QuerySet, Sum, Window
from moneyed import Money

from ledger.models import Account, AccountBalance, Entry, Party


def _entries(*, as_of: date) -> QuerySet[Entry]:
    return Entry.objects.filter(date__lte=as_of)


def _by_currency(rows: QuerySet) -> dict[str, Money]:
    totals = rows.values("amount_currency").annotate(total=Sum("amount")).order_by("amount_currency")
    return {row["amount_currency"]: Money(row["total"], row["amount_currency"]) for row in totals}


def account_balance(*, account: Account, as_of: date | None = None) -> Money:
    """The account's balance: today's from the shares the database keeps, or the sum of its entries up to ``as_of``."""
    rows = AccountBalance.objects.filter(account=account) if as_of is None else _entries(as_of=as_of).filter(account=account)
    total = rows.aggregate(total=Sum("amount"))["total"]
    return Money(total or Decimal("0.00"), account.currency)


def party_balances(*, party: Party, as_of: date | None = None) -> dict[str, Money]:
    """A party's balance over all its accounts, by currency."""
    if as_of is None:
        return _by_currency(AccountBalance.objects.filter(account__party=party))
    return _by_currency(_entries(as_of=as_of).filter(account__party=party))


def account_balances(*, accounts: QuerySet[Account], as_of: date | None = None) -> dict[int, Money]:
    """The balance of each of ``accounts`` in one query; accounts with no entry are zero."""
    rows = AccountBalance.objects.all() if as_of is None else _entries(as_of=as_of)
    totals = dict(
        rows.filter(account__in=accounts).values("account").annotate(total=Sum("amount")).values_list("account", "total")
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
