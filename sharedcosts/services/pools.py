"""A pool's accounts in the ledger, and the checks every movement of a pool makes first.

Two kinds of accounts per pool: the pool's cost (no party) and each
participant's position in it. A position is what the party paid, plus its
in-kind credit, minus its share.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Field
from django.utils.translation import gettext as _
from moneyed import Money

from ledger.models import Account, AccountType, Party
from ledger.money import amount_limit, fits_column, money_format
from ledger.roles import require_staff
from ledger.services import account_get_or_create
from sharedcosts.accounts import pool_cost_name, pool_position_name
from sharedcosts.errors import CurrencyError, SharedCostsError
from sharedcosts.models import CostPool, Participation


def pool_cost_account(pool: CostPool) -> Account:
    return account_get_or_create(
        code=pool.cost_account_code,
        name=pool_cost_name(pool.name),
        type=AccountType.EXPENSE,
        currency=pool.currency,
    )


def pool_position_account(pool: CostPool, party: Party) -> Account:
    return account_get_or_create(
        code=pool.position_account_code(party),
        name=pool_position_name(pool.name),
        type=AccountType.ASSET,
        currency=pool.currency,
        party=party,
    )


def pool_accounts(*, owners: Iterable[tuple[CostPool, Party | None]]) -> dict[tuple[int, int | None], Account]:
    """The accounts of these pools' costs (party ``None``) and positions, by (pool id, party id), read in one query.

    The ones missing are made, and one in another currency refused, by
    :func:`pool_cost_account` and :func:`pool_position_account`; a caller that
    posts thousands of rows asks once rather than once a row.
    """
    by_code = {
        pool.position_account_code(party) if party else pool.cost_account_code: (pool, party) for pool, party in owners
    }
    found = {account.code: account for account in Account.objects.filter(code__in=by_code)}
    accounts = {}
    for code, (pool, party) in by_code.items():
        account = found.get(code)
        if account is None or account.currency != pool.currency:
            account = pool_position_account(pool, party) if party else pool_cost_account(pool)
        accounts[pool.pk, party.pk if party else None] = account
    return accounts


def pool_currency_check(*, pool: CostPool, amount: Money, refusal: str) -> None:
    """Refuse an amount in another currency than the pool's: nothing is converted.

    ``refusal`` is the whole sentence, naming what the amount is, with ``%(currency)s``,
    ``%(pool)s`` and ``%(pool_currency)s``: a sentence with a slot for the thing's name
    cannot agree with it in French."""
    if amount.currency.code != pool.currency:
        raise CurrencyError(
            refusal,
            code="currency_mismatch",
            params={"currency": amount.currency.code, "pool": pool.name, "pool_currency": pool.currency},
        )


def pool_currency_refusal(*, pool: CostPool, amount: Money, refusal: str) -> str:
    """:func:`pool_currency_check`'s refusal as a sentence, for a report of many rows; "" when the currency is the pool's."""
    try:
        pool_currency_check(pool=pool, amount=amount, refusal=refusal)
    except CurrencyError as error:
        return error.messages[0]
    return ""


def staff_check(
    user: AbstractBaseUser | AnonymousUser | None, *, error: type[SharedCostsError] = SharedCostsError
) -> None:
    """Refuse anyone but finance staff or an administrator: only they record a pool's figures and post its money."""
    require_staff(user, error=error, message=_("Only finance staff or an administrator can record this."))


def amount_size_check(
    *, amount: Money, field: Field, what: str, error: type[SharedCostsError] = SharedCostsError
) -> None:
    """Refuse an amount past the precision of the column that will hold it, before the database does."""
    if not fits_column(amount, max_digits=field.max_digits, decimal_places=field.decimal_places):
        limit = amount_limit(max_digits=field.max_digits, decimal_places=field.decimal_places)
        raise error(
            _("The %(what)s of %(amount)s is more than the books can hold (at most %(limit)s)."),
            code="amount_too_large",
            params={"what": what, "amount": money_format(amount), "limit": money_format(Money(limit, amount.currency))},
        )


def pool_participant_check(*, pool: CostPool, party: Party) -> Participation:
    """The party's participation in the pool; refused if it takes no part in it."""
    participation = Participation.objects.filter(pool=pool, party=party).first()
    if participation is None:
        raise SharedCostsError(
            _("%(party)s does not take part in the pool %(pool)s."),
            code="not_participant",
            params={"party": party.name, "pool": pool.name},
        )
    return participation
