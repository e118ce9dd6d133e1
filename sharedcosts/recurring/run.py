"""The daily run: each occurrence of a recurring expense that is due, posted exactly once as an expense of the pool.

The task ``sharedcosts.post_due_recurring_expenses`` (and ``manage.py
post_due_recurring_expenses``) calls :func:`recurring_post_due`, in two steps:

1. *Plan.* Each schedule that has started gets a row for each of its days
   up to today not planned yet (until its end, or the day before a pause),
   with its amount on that day. Schedules are taken by chunks, each locked
   (the staff's changes take the same lock) and committed on its own; a
   unique constraint on (schedule, date) holds it anyway.
2. *Post.* The occurrences due and not posted are taken by chunks in id
   order, each chunk locked ``FOR UPDATE SKIP LOCKED`` and committed on its
   own, exactly as the grants' instalments are paid: two runs at once share
   the work, a run killed halfway loses only its uncommitted chunk, which
   the next run posts, and the idempotency key ``recurring:<schedule id>:<date>``
   makes a second posting impossible anyway. Each is an ordinary
   :class:`~sharedcosts.models.Expense` of the pool, paid by the schedule's
   payer and dated on its day, posted by
   :func:`sharedcosts.services.expense_posting_request`. A refusal (a payer
   who left the pool, a closed period) marks that occurrence failed with the
   reason, tried again at the next run; the others go on.

The database decides what is due, so days missed while the scheduler was
down are posted at the next run. Like the disbursements' run, the scheduler
posts as nobody (``posted_by`` empty in the ledger); a person who runs it by
hand for the books is named with ``run_by`` and must be finance staff or an
administrator.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import DataError, IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ledger.errors import DomainError
from ledger.models import Account
from ledger.runs import DailyRun
from ledger.services import PostingRequest, PostingResult, transactions_post
from sharedcosts.errors import RecurringError
from sharedcosts.models import CostPool, Expense, Participation
from sharedcosts.recurring.models import OccurrenceStatus, RecurringExpense, RecurringOccurrence
from sharedcosts.recurring.services import RECURRING_CURRENCY_REFUSAL, UNPOSTED, schedule_amount_on
from sharedcosts.recurring.timetable import days_between
from sharedcosts.services.expenses import expense_posting_request
from sharedcosts.services.pools import pool_cost_account, pool_currency_refusal, pool_position_account, staff_check

OUTCOME_FIELDS = ["status", "note", "expense", "posted_at"]


@dataclass
class RecurringRun(DailyRun):
    """What one run of :func:`recurring_post_due` did."""

    planned: int = 0
    posted: int = 0

    def counts(self) -> dict[str, int]:
        return {"planned": self.planned, "posted": self.posted}


def recurring_post_due(
    *, today: date, chunk_size: int = 500, run_by: AbstractBaseUser | None = None
) -> RecurringRun:
    """Plan the days up to ``today`` of every schedule, then post every occurrence due and not posted yet.

    A database error that is not about one occurrence (a lost connection, a
    deadlock) stops the run so that its caller retries it; what was
    committed stays posted.
    """
    if run_by is not None:
        staff_check(run_by, error=RecurringError)
    run = RecurringRun(today=today, planned=occurrences_plan(today=today, chunk_size=chunk_size))
    last_pk = 0
    while True:
        with transaction.atomic():
            chunk = list(
                RecurringOccurrence.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk__gt=last_pk, date__lte=today, status__in=UNPOSTED)
                .filter(Q(schedule__paused_from__isnull=True) | Q(date__lt=F("schedule__paused_from")))
                .select_related("schedule__pool", "schedule__payer")
                .order_by("pk")[:chunk_size]
            )
            if not chunk:
                return run
            last_pk = chunk[-1].pk
            _post_chunk(chunk=chunk, run=run, run_by=run_by)


def occurrences_plan(*, today: date, chunk_size: int = 500) -> int:
    """Give every started schedule a row for each of its days up to ``today`` not planned yet; how many."""
    planned = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            schedules = list(
                RecurringExpense.objects.select_for_update(of=("self",))
                .filter(pk__gt=last_pk, start_date__lte=today)
                .prefetch_related("amendments")
                .order_by("pk")[:chunk_size]
            )
            if not schedules:
                return planned
            last_pk = schedules[-1].pk
            latest = dict(
                RecurringOccurrence.objects.filter(schedule__in=schedules)
                .values("schedule")
                .annotate(last=Max("date"))
                .values_list("schedule", "last")
            )
            new = [
                RecurringOccurrence(schedule=schedule, date=day, amount=schedule_amount_on(schedule, day))
                for schedule in schedules
                for day in _days_to_plan(schedule, after=latest.get(schedule.pk), today=today)
            ]
            bulk_create_with_history(new, RecurringOccurrence)
            planned += len(new)


def _days_to_plan(schedule: RecurringExpense, *, after: date | None, today: date) -> list[date]:
    last = today if schedule.paused_from is None else min(today, schedule.paused_from - timedelta(days=1))
    first = schedule.start_date if after is None else after + timedelta(days=1)
    if first > last:
        return []
    return days_between(
        rhythm=schedule.rhythm,
        start_date=schedule.start_date,
        end_date=schedule.end_date,
        dates=schedule.dates,
        first=first,
        last=last,
    )


def _refusal(occurrence: RecurringOccurrence, participants: set[tuple[int, int]]) -> str:
    """Why the occurrence cannot be posted as an expense of its pool, or "" when it can."""
    schedule = occurrence.schedule
    pool = schedule.pool
    if (pool.pk, schedule.payer_id) not in participants:
        return _("%(party)s does not take part in the pool %(pool)s.") % {"party": schedule.payer.name, "pool": pool.name}
    return pool_currency_refusal(pool=pool, amount=occurrence.amount, refusal=RECURRING_CURRENCY_REFUSAL)


def _post_chunk(*, chunk: list[RecurringOccurrence], run: RecurringRun, run_by: AbstractBaseUser | None) -> None:
    """Post a locked chunk: in one batch posting, or one by one if the batch is refused.

    The pools are locked first, in id order, as :func:`~sharedcosts.services.expense_post`
    does: a settlement reads the positions under that lock.
    """
    pool_ids = sorted({occurrence.schedule.pool_id for occurrence in chunk})
    list(CostPool.objects.select_for_update().filter(pk__in=pool_ids).order_by("pk").values_list("pk", flat=True))
    participants = set(Participation.objects.filter(pool_id__in=pool_ids).values_list("pool_id", "party_id"))
    failed: list[tuple[RecurringOccurrence, str]] = []
    postable = []
    for occurrence in chunk:
        reason = _refusal(occurrence, participants)
        if reason:
            failed.append((occurrence, reason))
        else:
            postable.append(occurrence)
    costs: dict[int, Account] = {}
    positions: dict[tuple[int, int], Account] = {}
    for occurrence in postable:
        pool, payer = occurrence.schedule.pool, occurrence.schedule.payer
        if pool.pk not in costs:
            costs[pool.pk] = pool_cost_account(pool)
        if (pool.pk, payer.pk) not in positions:
            positions[(pool.pk, payer.pk)] = pool_position_account(pool, payer)

    def expense_for(occurrence: RecurringOccurrence) -> tuple[Expense, PostingRequest]:
        schedule = occurrence.schedule
        expense = Expense(
            pool=schedule.pool,
            payer=schedule.payer,
            vendor=schedule.vendor,
            date=occurrence.date,
            amount=occurrence.amount,
            description=schedule.description,
        )
        request = expense_posting_request(
            expense=expense,
            posted_by=run_by,
            idempotency_key=occurrence.idempotency_key,
            cost_account=costs[schedule.pool_id],
            position_account=positions[(schedule.pool_id, schedule.payer_id)],
        )
        return expense, request

    def post(occurrences: list[RecurringOccurrence]) -> list[Expense]:
        pairs = [expense_for(occurrence) for occurrence in occurrences]
        results: list[PostingResult] = transactions_post(requests=[request for _expense, request in pairs])
        expenses = [expense for expense, _request in pairs]
        for expense, result in zip(expenses, results, strict=True):
            expense.transaction = result.transaction
        return Expense.objects.bulk_create(expenses)

    posted: list[tuple[RecurringOccurrence, Expense]] = []
    try:
        with transaction.atomic():
            posted = list(zip(postable, post(postable), strict=True)) if postable else []
    except (DomainError, IntegrityError, DataError):
        for occurrence in postable:
            try:
                with transaction.atomic():
                    posted.append((occurrence, post([occurrence])[0]))
            except (DomainError, IntegrityError, DataError) as error:
                # The savepoint has rolled back this occurrence's expense and posting.
                failed.append((occurrence, " ".join(error.messages) if isinstance(error, DomainError) else str(error)))
    _outcomes_record(posted=posted, failed=failed, run=run, run_by=run_by)


def _outcomes_record(
    *,
    posted: list[tuple[RecurringOccurrence, Expense]],
    failed: list[tuple[RecurringOccurrence, str]],
    run: RecurringRun,
    run_by: AbstractBaseUser | None,
) -> None:
    now = timezone.now()
    for occurrence, expense in posted:
        occurrence.status, occurrence.note, occurrence.expense, occurrence.posted_at = OccurrenceStatus.POSTED, "", expense, now
    for occurrence, reason in failed:
        occurrence.status, occurrence.note = OccurrenceStatus.FAILED, reason[:1000]
        run.failures[occurrence.pk] = reason
    run.posted += len(posted)
    changed = [occurrence for occurrence, _expense in posted] + [occurrence for occurrence, _reason in failed]
    bulk_update_with_history(changed, RecurringOccurrence, OUTCOME_FIELDS, default_user=run_by)
