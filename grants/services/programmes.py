"""A programme's envelope: opened for a fiscal year, funded in the ledger once.

:func:`programme_create` opens the envelope and :func:`programme_fund` posts
its money into the programme's site account, the *programme fund*
(``PF-<programme>``), from the site's funding account. Grants are then
committed against what the envelope still has available.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from grants.accounts import funding_source_code, funding_source_name, programme_fund_code, programme_fund_name
from grants.errors import GrantError
from grants.models import FundingProgramme
from grants.services.amounts import amount_check_cents, amount_check_fits
from ledger.models import Account, AccountType, Entry, TransactionKind
from ledger.roles import require_staff
from ledger.services import Line, PostingResult, site_account, transaction_post

ENVELOPE = FundingProgramme._meta.get_field("amount")


def _funding_source(currency: str) -> Account:
    return site_account(
        code=funding_source_code(currency),
        name=funding_source_name(currency),
        currency=currency,
        type=AccountType.EQUITY,
    )


def programme_create(
    *,
    name: str,
    fiscal_year: int,
    amount: Money,
    created_by: AbstractBaseUser,
    holds_on_overdue_report: bool = True,
    funded_on: date | None = None,
) -> FundingProgramme:
    """Open an envelope for a fiscal year and fund it in the ledger."""
    require_staff(created_by, error=GrantError, message=_("Only finance staff or an administrator can record this."))
    if not isinstance(amount, Money) or amount.amount <= 0:
        raise GrantError(_("The envelope must be a positive amount."), code="amount_not_positive")
    amount_check_fits(amount=amount, field=ENVELOPE)
    amount_check_cents(amount=amount)
    if FundingProgramme.objects.filter(name=name, fiscal_year=fiscal_year).exists():
        raise GrantError(
            _("A programme named %(name)s already exists for that fiscal year."),
            code="programme_exists",
            params={"name": name},
        )
    with transaction.atomic():
        programme = FundingProgramme.objects.create(
            name=name, fiscal_year=fiscal_year, amount=amount, holds_on_overdue_report=holds_on_overdue_report
        )
        programme_fund(programme=programme, posted_by=created_by, on=funded_on)
        programme.refresh_from_db()
    return programme


def programme_fund(
    *, programme: FundingProgramme, posted_by: AbstractBaseUser | None = None, on: date | None = None
) -> PostingResult | None:
    """Bring the programme fund up to the envelope, once; ``None`` when it already is.

    The funding moves money from the site's funding account (equity) into the
    programme's fund account; its key names the fundings before it and the
    envelope it funds up to, so asking again for the same envelope posts
    nothing, and a funding that was reversed is made good by a new one.
    """
    currency = programme.currency
    with transaction.atomic():
        programme = FundingProgramme.objects.select_for_update().get(pk=programme.pk)
        if programme.fund_account_id is None:
            programme.fund_account = site_account(
                code=programme_fund_code(programme.pk),
                name=programme_fund_name(programme.name),
                currency=currency,
            )
            programme.save(update_fields=["fund_account"])
        # A funding that was reversed no longer funds: its reversal counts against it.
        fundings = Entry.objects.filter(account=programme.fund_account).filter(
            Q(transaction__kind=TransactionKind.FUNDING) | Q(transaction__reverses__kind=TransactionKind.FUNDING)
        )
        totals = fundings.aggregate(
            funded=Sum("amount"),
            postings=Count("transaction", distinct=True, filter=Q(transaction__kind=TransactionKind.FUNDING)),
        )
        funded = totals["funded"] or Decimal("0")
        missing = programme.amount.amount - funded
        if missing == 0:
            return None
        if missing < 0:
            raise GrantError(
                _("The programme fund already holds %(funded)s, more than the envelope of %(amount)s."),
                code="envelope_below_funded",
                params={"funded": Money(funded, currency), "amount": programme.amount},
            )
        return transaction_post(
            lines=[
                Line(account=_funding_source(currency), amount=Money(-missing, currency)),
                Line(account=programme.fund_account, amount=Money(missing, currency)),
            ],
            date=on or timezone.localdate(),
            kind=TransactionKind.FUNDING,
            # Numbered by the fundings before it: after a reversal, the same envelope is funded by a new posting.
            idempotency_key=f"programme:{programme.pk}:funding:{totals['postings']}:to:{programme.amount.amount}",
            memo=_("Funding of the programme %(name)s") % {"name": programme.name},
            posted_by=posted_by,
        )
