"""Settling a pool: a payment from a party that owes to one that is owed, recorded once."""

import uuid
from datetime import date as date_type

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from moneyed import Money

from ledger.models import Entry, Party, Transaction, TransactionKind
from ledger.services import Line, transaction_post
from sharedcosts.errors import SettlementRecordError
from sharedcosts.memos import settlement_key, settlement_memo
from sharedcosts.models import CostPool
from sharedcosts.selectors import pool_balances
from sharedcosts.services.pools import (
    amount_size_check,
    pool_currency_check,
    pool_participant_check,
    pool_position_account,
    staff_check,
)

# A settlement has no row of its own: the ledger's entries hold it.
SETTLEMENT_AMOUNT = Entry._meta.get_field("amount")


def settlement_record(
    *,
    pool: CostPool,
    payer: Party,
    payee: Party,
    amount: Money,
    date: date_type,
    recorded_by: AbstractBaseUser | None,
    request_id: uuid.UUID,
) -> Transaction:
    """Record that ``payer`` paid ``payee`` to settle their positions in the pool.

    The key is the request's id, which the caller makes once per payment it
    means to record (a form when it is shown, an import from the row's
    reference): the same request sent twice (a double click, a retry) is
    posted once, while two real payments of the same amount the same day
    are two settlements. The same id asked again between the same parties
    of the pool for another amount or date is refused by the ledger. A
    payment cannot be more than what the payer owes nor what the payee is
    owed; the positions are read and moved with the pool's row locked, so
    two settlements at once cannot both spend the same debt.
    """
    staff_check(recorded_by, error=SettlementRecordError)
    pool_currency_check(
        pool=pool,
        amount=amount,
        refusal=_("The settlement is in %(currency)s, but the pool %(pool)s is kept in %(pool_currency)s."),
    )
    amount_size_check(amount=amount, field=SETTLEMENT_AMOUNT, what=_("settlement"), error=SettlementRecordError)
    if payer.pk == payee.pk:
        raise SettlementRecordError(_("A party cannot settle with itself."), code="same_party")
    if amount.amount <= 0:
        raise SettlementRecordError(_("A settlement must be more than zero."), code="not_positive")
    key = settlement_key(pool=pool, payer=payer, payee=payee, request_id=request_id)
    with transaction.atomic():
        CostPool.objects.select_for_update().get(pk=pool.pk)
        # A retry is answered by the ledger with what it posted (or refused if it asks
        # another payment); its positions were already moved, so they are not checked again.
        if not Transaction.objects.filter(idempotency_key=key).exists():
            _within_positions_check(pool=pool, payer=payer, payee=payee, amount=amount)
        result = transaction_post(
            lines=[
                Line(pool_position_account(pool, payer), amount),
                Line(pool_position_account(pool, payee), -amount),
            ],
            date=date,
            kind=TransactionKind.SETTLEMENT,
            idempotency_key=key,
            memo=settlement_memo(pool=pool, payer=payer, payee=payee),
            posted_by=recorded_by,
        )
    return result.transaction


def _within_positions_check(*, pool: CostPool, payer: Party, payee: Party, amount: Money) -> None:
    pool_participant_check(pool=pool, party=payer)
    pool_participant_check(pool=pool, party=payee)
    balances = pool_balances(pool=pool)
    owed_by_payer = -balances[payer.pk]
    owed_to_payee = balances[payee.pk]
    if amount > owed_by_payer or amount > owed_to_payee:
        raise SettlementRecordError(
            _(
                "%(payer)s owes %(owed)s and %(payee)s is owed %(due)s in %(pool)s; a payment of %(amount)s "
                "would go beyond that."
            ),
            code="settlement_exceeds",
            params={
                "payer": payer.name,
                "owed": owed_by_payer,
                "payee": payee.name,
                "due": owed_to_payee,
                "pool": pool.name,
                "amount": amount,
            },
        )
