"""Writing to the ledger.

:func:`transaction_post` is the one way money moves: every feature that pays,
allocates, settles or corrects calls it. It refuses what would break the
books with a translated message and writes nothing; it posts a request at
most once per idempotency key, whoever asks and however often.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from ledger.bulk import TransactionRow, postings_insert
from ledger.errors import PostingError
from ledger.models import (
    Account,
    AccountType,
    Entry,
    FiscalPeriod,
    Party,
    Transaction,
    TransactionKind,
)
from ledger.money import amount_limit, fits_column, is_whole_minor_units, money_format

MAX_KEY_LENGTH = Transaction._meta.get_field("idempotency_key").max_length
KINDS = frozenset(TransactionKind.values)
ENTRY_AMOUNT = Entry._meta.get_field("amount")
ENTRY_LIMIT = amount_limit(max_digits=ENTRY_AMOUNT.max_digits, decimal_places=ENTRY_AMOUNT.decimal_places)


@dataclass(frozen=True)
class Line:
    """One entry to post: a signed amount on an account."""

    account: Account
    amount: Money


class PostingResult(NamedTuple):
    transaction: Transaction
    created: bool


def account_get_or_create(
    *, code: str, name: str, type: str, currency: str, party: Party | None = None
) -> Account:
    """The account with this code, made on first use.

    Features name their accounts by a code derived from what they belong to
    (a programme, a pool and a party...), so the code is the account's
    identity; asking for it in another currency is refused.
    """
    account, _created = Account.objects.get_or_create(
        code=code, defaults={"name": name, "type": type, "currency": currency, "party": party}
    )
    if account.currency != currency:
        raise PostingError(
            _("Account %(code)s is kept in %(account_currency)s, not in %(currency)s."),
            code="account_currency",
            params={"code": code, "account_currency": account.currency, "currency": currency},
        )
    return account


def site_account(*, code: str, name: str, currency: str, type: str = AccountType.ASSET) -> Account:
    return account_get_or_create(code=code, name=name, type=type, currency=currency, party=None)


def _check_lines(lines: Sequence[Line]) -> None:
    if len(lines) < 2:
        raise PostingError(_("A transaction needs at least two entries."), code="too_few_entries")
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        if not isinstance(line.amount, Money):
            raise PostingError(
                _("The amount %(amount)r is not money with a currency."),
                code="not_money",
                params={"amount": line.amount},
            )
        if line.account.pk is None:
            raise PostingError(_("An entry names an account that was never saved."), code="unsaved_account")
        currency = line.amount.currency.code
        if line.amount.amount == 0:
            raise PostingError(
                _("An entry on account %(code)s is zero; every entry must move money."),
                code="zero_entry",
                params={"code": line.account.code},
            )
        if not fits_column(line.amount, max_digits=ENTRY_AMOUNT.max_digits, decimal_places=ENTRY_AMOUNT.decimal_places):
            raise PostingError(
                _("%(amount)s is more than the ledger holds in one entry (at most %(limit)s)."),
                code="amount_too_large",
                params={"amount": money_format(line.amount), "limit": money_format(Money(ENTRY_LIMIT, currency))},
            )
        if not is_whole_minor_units(line.amount):
            raise PostingError(
                _("%(amount)s is not a whole number of cents; round it before posting."),
                code="sub_unit_amount",
                params={"amount": line.amount},
            )
        if currency != line.account.currency:
            raise PostingError(
                _("Account %(code)s is kept in %(account_currency)s; an entry in %(currency)s cannot be posted to it."),
                code="account_currency",
                params={"code": line.account.code, "account_currency": line.account.currency, "currency": currency},
            )
        totals[currency] += line.amount.amount
    for currency, total in sorted(totals.items()):
        if total != 0:
            raise PostingError(
                _("The entries do not balance in %(currency)s: they sum to %(total)s instead of zero."),
                code="unbalanced",
                params={"currency": currency, "total": total},
            )


def _periods_refusals(start_years: set[int]) -> dict[int, PostingError]:
    """Why each of these fiscal periods refuses a posting, if it does; opens the current and next ones.

    Asked only once the database has refused a period: a posting into an
    open period never reads it here. The database's trigger holds the
    period FOR SHARE while the posting commits, so a period closed
    meanwhile still refuses it. The current fiscal year and the next one
    are opened on their first posting; any other must be opened by an
    administrator, so that a mistyped year (2019, 2099) is refused instead
    of opening a period nobody meant.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('start_year')}, {quote('is_closed')} FROM {quote(FiscalPeriod._meta.db_table)} "
            f"WHERE {quote('start_year')} IN ({', '.join(['%s'] * len(start_years))})",
            sorted(start_years),
        )
        known = dict(cursor.fetchall())
    current = FiscalPeriod.year_of(timezone.localdate())
    refusals: dict[int, PostingError] = {}
    for start_year in sorted(start_years):
        period = str(FiscalPeriod(start_year=start_year))
        if known.get(start_year):
            refusals[start_year] = PostingError(
                _("The fiscal period %(period)s is closed; post the correction in an open period."),
                code="closed_period",
                params={"period": period},
            )
        elif start_year not in known and start_year in (current, current + 1):
            FiscalPeriod.objects.get_or_create(start_year=start_year)
        elif start_year not in known:
            refusals[start_year] = PostingError(
                _("The fiscal period %(period)s is not open; an administrator opens it before anything is posted in it."),
                code="no_period",
                params={"period": period},
            )
    return refusals


def _request_hash(*, lines: Sequence[Line], day: date, kind: str, reverses: Transaction | None) -> str:
    """A fingerprint of what moves money in the request (not its memo)."""
    request = {
        "date": day.isoformat(),
        "kind": kind,
        "reverses": reverses.pk if reverses else None,
        "lines": sorted(
            [line.account.pk, line.amount.currency.code, str(line.amount.amount.normalize())] for line in lines
        ),
    }
    return hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class PostingRequest:
    """What to post: balanced lines on a date, under an idempotency key."""

    lines: Sequence[Line]
    date: date
    kind: str
    idempotency_key: str
    memo: str = ""
    posted_by: AbstractBaseUser | None = None
    reverses: Transaction | None = None


def _check_request(request: PostingRequest) -> str:
    """Refuse a request that would break the books; return its fingerprint."""
    if request.kind not in KINDS:
        raise PostingError(
            _("Unknown kind of transaction: %(kind)s."), code="unknown_kind", params={"kind": request.kind}
        )
    if not request.idempotency_key or len(request.idempotency_key) > MAX_KEY_LENGTH:
        raise PostingError(
            _("Every transaction needs an idempotency key of at most %(max)d characters."),
            code="bad_key",
            params={"max": MAX_KEY_LENGTH},
        )
    if (request.reverses is not None) != (request.kind == TransactionKind.REVERSAL):
        raise PostingError(
            _("Only a reversal points at another transaction, and a reversal always does."),
            code="reversal_kind",
        )
    _check_lines(request.lines)
    return _request_hash(lines=request.lines, day=request.date, kind=request.kind, reverses=request.reverses)


MEMO_LENGTH = Transaction._meta.get_field("memo").max_length
# The constraint the database names when its period trigger refuses a
# transaction (ledger/migrations/0011): the period is closed or not open.
PERIOD_OPEN = "ledger_fiscal_period_open"


def _check_same_request(txn: Transaction, fingerprint: str) -> None:
    if txn.request_hash != fingerprint:
        raise PostingError(
            _("The key %(key)s was already used for transaction #%(id)s, which records something else; nothing was posted."),
            code="key_reused",
            params={"key": txn.idempotency_key, "id": txn.pk},
        )


def _posted_before(requests: Sequence[PostingRequest], refusals: dict[int, PostingError]) -> dict[str, Transaction]:
    """The transactions already posted for the requests whose period refuses; the period's refusal for any other."""
    blocked = [request for request in requests if FiscalPeriod.year_of(request.date) in refusals]
    posted = {
        txn.idempotency_key: txn
        for txn in Transaction.objects.filter(idempotency_key__in=[request.idempotency_key for request in blocked])
    }
    for request in blocked:
        if request.idempotency_key not in posted:
            raise refusals[FiscalPeriod.year_of(request.date)]
    return posted


def transactions_post(*, requests: Sequence[PostingRequest]) -> list[PostingResult]:
    """Post many transactions in one go, all or nothing; results in the order asked.

    Each request is posted once per idempotency key, as by
    :func:`transaction_post`, which is this function for one request; a key
    asked again in the batch is answered as a retry of its first request,
    or refused as a reused key if it asks something else. The
    transactions and their entries go in one statement a thousand, which is
    what lets a daily run pay thousands of instalments in seconds; a single
    posting outside a database transaction is that one statement alone. The
    fiscal periods are checked by the database as it inserts; they are read
    here only when it refuses one.
    """
    if not requests:
        return []
    fingerprints: dict[str, str] = {}
    for request in requests:
        fingerprint = _check_request(request)
        if fingerprints.setdefault(request.idempotency_key, fingerprint) != fingerprint:
            raise PostingError(
                _(
                    "The key %(key)s was already used earlier in this batch for a transaction that records something "
                    "else; nothing was posted."
                ),
                code="key_reused",
                params={"key": request.idempotency_key},
            )
    unique_requests = list({request.idempotency_key: request for request in requests}.values())
    try:
        return _post(requests=requests, unique_requests=unique_requests, fingerprints=fingerprints, existing={})
    except IntegrityError as error:
        if getattr(error.__cause__, "diag", None) is None or error.__cause__.diag.constraint_name != PERIOD_OPEN:
            raise
    # The database refused a fiscal period: one to open on its first posting,
    # or one that refuses in words. A retry of what was posted before its
    # period closed answers with that transaction; only what is new is refused.
    refusals = _periods_refusals({FiscalPeriod.year_of(request.date) for request in unique_requests})
    existing = _posted_before(unique_requests, refusals) if refusals else {}
    unique_requests = [request for request in unique_requests if request.idempotency_key not in existing]
    return _post(requests=requests, unique_requests=unique_requests, fingerprints=fingerprints, existing=existing)


def _post(
    *,
    requests: Sequence[PostingRequest],
    unique_requests: list[PostingRequest],
    fingerprints: dict[str, str],
    existing: dict[str, Transaction],
) -> list[PostingResult]:
    rows = [
        TransactionRow(
            date=request.date,
            period=FiscalPeriod.year_of(request.date),
            kind=request.kind,
            memo=request.memo[:MEMO_LENGTH],
            idempotency_key=request.idempotency_key,
            request_hash=fingerprints[request.idempotency_key],
            posted_by=request.posted_by.pk if request.posted_by is not None else None,
            reverses=request.reverses.pk if request.reverses is not None else None,
        )
        for request in unique_requests
    ]
    lines = [(request.idempotency_key, line.account.pk, line.amount) for request in unique_requests for line in request.lines]
    # One posting outside any atomic block is one statement, atomic on its
    # own: no BEGIN, no COMMIT, one round trip. A taken key wrote nothing.
    alone = len(rows) == 1 and connection.get_autocommit()
    with nullcontext() if alone else transaction.atomic():
        inserted = postings_insert(rows, lines) if rows else {}
        taken = [row.idempotency_key for row in rows if row.idempotency_key not in inserted]
        if taken:
            existing = existing | {txn.idempotency_key: txn for txn in Transaction.objects.filter(idempotency_key__in=taken)}
        for key, txn in existing.items():
            _check_same_request(txn, fingerprints[key])
    for request in unique_requests:
        # The user and the original at hand, as when a transaction is made with them.
        if (txn := inserted.get(request.idempotency_key)) is not None:
            Transaction.posted_by.field.set_cached_value(txn, request.posted_by)
            Transaction.reverses.field.set_cached_value(txn, request.reverses)
    posted = existing | inserted
    created = dict(inserted)
    # The first request of a key made its transaction; the others, like a retry, find it made.
    return [
        PostingResult(posted[request.idempotency_key], created.pop(request.idempotency_key, None) is not None)
        for request in requests
    ]


def transaction_post(
    *,
    lines: Sequence[Line],
    date: date,
    kind: str,
    idempotency_key: str,
    memo: str = "",
    posted_by: AbstractBaseUser | None = None,
    reverses: Transaction | None = None,
) -> PostingResult:
    """Post a balanced transaction once, or return the one already posted.

    The same key with the same request returns the existing transaction
    (``created`` is false); the same key with a different request is refused.
    """
    request = PostingRequest(
        lines=lines,
        date=date,
        kind=kind,
        idempotency_key=idempotency_key,
        memo=memo,
        posted_by=posted_by,
        reverses=reverses,
    )
    return transactions_post(requests=[request])[0]


def transaction_reverse(
    *,
    original: Transaction,
    date: date | None = None,
    memo: str = "",
    posted_by: AbstractBaseUser | None = None,
) -> PostingResult:
    """Cancel a posted transaction with its mirror image, once.

    The reversal is dated today unless told otherwise, so that a transaction
    of a closed period is corrected in an open one.
    """
    if original.kind == TransactionKind.REVERSAL:
        raise PostingError(
            _("Transaction #%(id)s is itself a reversal; post the original transaction again instead."),
            code="reverse_reversal",
            params={"id": original.pk},
        )
    already = Transaction.objects.filter(reverses=original).first()
    if already is not None:
        raise PostingError(
            _("Transaction #%(id)s was already reversed by #%(reversal)s."),
            code="already_reversed",
            params={"id": original.pk, "reversal": already.pk},
        )
    lines = [Line(account=entry.account, amount=-entry.amount) for entry in original.entries.select_related("account")]
    return transaction_post(
        lines=lines,
        date=date or timezone.localdate(),
        kind=TransactionKind.REVERSAL,
        idempotency_key=f"reversal:{original.pk}",
        memo=memo or _("Reversal of transaction #%(id)s") % {"id": original.pk},
        posted_by=posted_by,
        reverses=original,
    )
