"""What the pool costs as it is spent: invoices one party pays for the pool, and
what a party provides in kind, credited against its share.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from moneyed import Money

from ledger.models import Account, TransactionKind
from ledger.services import Line, PostingRequest, transaction_post, transactions_post
from sharedcosts.errors import InKindError, SharedCostsError
from sharedcosts.memos import expense_memo, in_kind_memo
from sharedcosts.models import CostPool, Expense, InKindContribution, Participation
from sharedcosts.services.allocations import allocation_current
from sharedcosts.services.pools import (
    amount_size_check,
    pool_accounts,
    pool_cost_account,
    pool_currency_check,
    pool_participant_check,
    pool_position_account,
    staff_check,
)

EXPENSE_AMOUNT = Expense._meta.get_field("amount")
EXPENSE = gettext_lazy("expense")  # translated only in a refusal: a file checks thousands of expenses
IN_KIND_VALUE = InKindContribution._meta.get_field("value")
EXPENSE_CURRENCY_REFUSAL = gettext_lazy("The expense is in %(currency)s, but the pool %(pool)s is kept in %(pool_currency)s.")
IN_KIND_CURRENCY_REFUSAL = gettext_lazy(
    "The in-kind contribution is valued in %(currency)s, but the pool %(pool)s is kept in %(pool_currency)s."
)


def expense_posting_request(
    *,
    expense: Expense,
    posted_by: AbstractBaseUser | None,
    idempotency_key: str | None = None,
    cost_account: Account | None = None,
    position_account: Account | None = None,
) -> PostingRequest:
    """The posting of an invoice paid for the pool: the payer's position is credited by the pool's cost.

    Posted once per expense, under its reference, whether it was typed in the
    admin or read from a spreadsheet; an expense made by a schedule is posted
    once per occurrence, under the occurrence's own key. Callers that post
    many expenses pass the accounts they already hold.
    """
    pool = expense.pool
    return PostingRequest(
        lines=[
            Line(cost_account or pool_cost_account(pool), -expense.amount),
            Line(position_account or pool_position_account(pool, expense.payer), expense.amount),
        ],
        date=expense.date,
        kind=TransactionKind.EXPENSE,
        idempotency_key=idempotency_key or f"expense:{expense.reference}",
        memo=expense_memo(expense),
        posted_by=posted_by,
    )


def _expense_check(*, expense: Expense, participants: set[tuple[int, int]]) -> None:
    pool = expense.pool
    pool_currency_check(pool=pool, amount=expense.amount, refusal=EXPENSE_CURRENCY_REFUSAL)
    amount_size_check(amount=expense.amount, field=EXPENSE_AMOUNT, what=EXPENSE)
    if (pool.pk, expense.payer_id) not in participants:
        raise SharedCostsError(
            _("%(party)s does not take part in the pool %(pool)s."),
            code="not_participant",
            params={"party": expense.payer.name, "pool": pool.name},
        )
    if expense.amount.amount <= 0:
        raise SharedCostsError(_("An expense must be more than zero."), code="not_positive")


def expense_check(*, expense: Expense) -> None:
    """Refuse, before anything is saved, what posting the expense would refuse.

    A payer outside the pool, another currency than the pool's, an amount the
    books cannot hold or not above zero. The back office's form asks it, so a
    person is told on saving, not later when posting.
    """
    participants = set(Participation.objects.filter(pool=expense.pool, party=expense.payer).values_list("pool_id", "party_id"))
    _expense_check(expense=expense, participants=participants)


def expense_post(*, expense: Expense, posted_by: AbstractBaseUser | None) -> Expense:
    """Post an invoice paid by one party: the pool's cost falls, the payer's position rises.

    An expense not saved yet is saved with its posting, or not at all.
    """
    staff_check(posted_by)
    if expense.transaction_id is not None:
        return expense  # posted already, perhaps under the key of its primary key that came before references
    expense_check(expense=expense)
    with transaction.atomic():
        # A settlement reads the positions under this lock; the expense must not move them meanwhile.
        CostPool.objects.select_for_update().get(pk=expense.pool_id)
        if expense.pk is None:
            expense.save()
        result = transactions_post(requests=[expense_posting_request(expense=expense, posted_by=posted_by)])[0]
        if expense.transaction_id != result.transaction.pk:
            expense.transaction = result.transaction
            expense.save(update_fields=["transaction"])
    return expense


def expenses_record(*, expenses: list[Expense], posted_by: AbstractBaseUser | None) -> list[Expense]:
    """Record and post many new expenses at once, each as :func:`expense_post` posts one.

    An expense whose reference is recorded already is passed over, so a file
    imported twice posts once. All or nothing: one refused expense refuses
    them all. Returns the expenses recorded now.
    """
    staff_check(posted_by)
    pool_ids = {expense.pool_id for expense in expenses}
    participants = set(Participation.objects.filter(pool_id__in=pool_ids).values_list("pool_id", "party_id"))
    for expense in expenses:
        _expense_check(expense=expense, participants=participants)
    recorded = set(
        Expense.objects.filter(reference__in=[expense.reference for expense in expenses]).values_list("reference", flat=True)
    )
    fresh = [expense for expense in expenses if expense.reference not in recorded]
    accounts = pool_accounts(owners=[owner for expense in fresh for owner in ((expense.pool, None), (expense.pool, expense.payer))])
    with transaction.atomic():
        results = transactions_post(
            requests=[
                expense_posting_request(
                    expense=expense,
                    posted_by=posted_by,
                    cost_account=accounts[expense.pool_id, None],
                    position_account=accounts[expense.pool_id, expense.payer_id],
                )
                for expense in fresh
            ]
        )
        for expense, posting in zip(fresh, results):
            expense.transaction = posting.transaction
        Expense.objects.bulk_create(fresh, batch_size=1000)
    return fresh


def in_kind_post(*, contribution: InKindContribution, posted_by: AbstractBaseUser | None) -> InKindContribution:
    """Credit a party's position with the fair value of what it provides, up to its share.

    A contribution not saved yet is saved with its credit, or not at all.
    """
    staff_check(posted_by, error=InKindError)
    pool = contribution.pool
    pool_currency_check(pool=pool, amount=contribution.value, refusal=IN_KIND_CURRENCY_REFUSAL)
    amount_size_check(amount=contribution.value, field=IN_KIND_VALUE, what=_("in-kind value"), error=InKindError)
    pool_participant_check(pool=pool, party=contribution.party)
    if contribution.value.amount <= 0:
        raise InKindError(_("An in-kind contribution must be worth more than zero."), code="not_positive")
    with transaction.atomic():
        CostPool.objects.select_for_update().get(pk=pool.pk)
        if contribution.transaction_id is not None:
            return contribution
        current = allocation_current(pool)
        share = None
        if current is not None:
            share = current.shares.filter(party=contribution.party).first()
        if share is None:
            raise InKindError(
                _("%(party)s has no posted share in %(pool)s yet; post the allocation before crediting in kind."),
                code="no_share",
                params={"party": contribution.party.name, "pool": pool.name},
            )
        credited = InKindContribution.objects.filter(
            pool=pool, party=contribution.party, transaction__isnull=False
        ).exclude(pk=contribution.pk)
        already = sum((c.value for c in credited), Money("0.00", pool.currency))
        if already + contribution.value > share.amount:
            raise InKindError(
                _(
                    "In kind, %(party)s would be credited %(total)s, more than its share of %(share)s in %(pool)s."
                ),
                code="in_kind_above_share",
                params={
                    "party": contribution.party.name,
                    "total": already + contribution.value,
                    "share": share.amount,
                    "pool": pool.name,
                },
            )
        if contribution.pk is None:
            contribution.save()
        result = transaction_post(
            lines=[
                Line(pool_cost_account(pool), -contribution.value),
                Line(pool_position_account(pool, contribution.party), contribution.value),
            ],
            date=contribution.date,
            kind=TransactionKind.IN_KIND,
            idempotency_key=f"in_kind:{contribution.reference}",
            memo=in_kind_memo(contribution),
            posted_by=posted_by,
        )
        contribution.transaction = result.transaction
        contribution.save(update_fields=["transaction"])
    return contribution

