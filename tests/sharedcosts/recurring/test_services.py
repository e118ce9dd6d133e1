"""Staff schedule a recurring expense, amend its amount from a date, pause and resume it, end it early."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation
from moneyed import Money

from ledger.models import Party
from sharedcosts.errors import CurrencyError, RecurringError, SharedCostsError
from sharedcosts.recurring.models import OccurrenceStatus, RecurringExpense, RecurringOccurrence, Rhythm
from sharedcosts.recurring.run import recurring_post_due
from sharedcosts.recurring.services import (
    recurring_amend,
    recurring_end,
    recurring_pause,
    recurring_resume,
)

from ..conftest import cad
from ..services.helpers import assert_not_staff
from .conftest import occurrences, written

pytestmark = pytest.mark.django_db

POSTED, SKIPPED, SCHEDULED = OccurrenceStatus.POSTED, OccurrenceStatus.SKIPPED, OccurrenceStatus.SCHEDULED


def test_a_schedule_is_created_with_its_history(make_schedule, finance_user):
    rent = make_schedule(indexation_rate="0.025", description="Loyer du local")
    assert (rent.amount, rent.rhythm, rent.start_date, rent.end_date, rent.indexation_rate) == (
        cad("1000.00"), Rhythm.MONTHLY, date(2025, 4, 30), None, Decimal("0.0250"),
    )
    assert rent.history.get().history_user == finance_user


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"amount": Money("1000.00", "USD")}, "currency_mismatch"),
        ({"amount": "0.00"}, "not_positive"),
        ({"amount": "1000000000000.00"}, "amount_too_large"),
        ({"rhythm": "weekly"}, "unknown_rhythm"),
        ({"end_date": date(2025, 4, 29)}, "end_before_start"),
        ({"indexation_rate": "1.5"}, "indexation_range"),
        ({"dates": [date(2025, 5, 1)]}, "dates_not_expected"),
        ({"rhythm": Rhythm.DATES}, "schedule_empty"),
        ({"rhythm": Rhythm.DATES, "dates": [date(2025, 5, 1), date(2025, 5, 1)]}, "schedule_duplicate_dates"),
        ({"rhythm": Rhythm.DATES, "dates": [date(2025, 4, 1)]}, "schedule_outside_period"),
    ],
)
def test_a_schedule_that_cannot_be_posted_is_refused_and_nothing_written(make_schedule, overrides, code):
    before = written()
    with pytest.raises(SharedCostsError) as refused:
        make_schedule(**overrides)
    assert refused.value.code == code
    assert written() == before


def test_a_payer_outside_the_pool_and_a_person_not_staff_are_refused(make_schedule, not_staff):
    outsider = Party.objects.create(name="Autre", kind="other", sector="nord")
    before = written()
    with pytest.raises(SharedCostsError) as refused:
        make_schedule(payer=outsider)
    assert refused.value.code == "not_participant"
    with pytest.raises(RecurringError) as refused:
        make_schedule(created_by=not_staff)
    assert_not_staff(refused.value)
    assert written() == before


def test_a_currency_other_than_the_pools_is_refused_in_words(make_schedule):
    with pytest.raises(CurrencyError) as refused:
        make_schedule(amount=Money("10.00", "USD"))
    assert refused.value.messages == [
        "La dépense récurrente est en USD, mais le regroupement Locaux partagés est tenu en CAD."
    ]


def test_an_amendment_from_a_date_leaves_posted_occurrences_and_later_indexations_build_on_it(
    make_schedule, administrator
):
    rent = make_schedule(indexation_rate="0.02")
    recurring_post_due(today=date(2025, 6, 30))
    # From 1 June: June is posted already and keeps its amount; July on take the new one.
    recurring_amend(schedule=rent, effective_from=date(2025, 6, 1), amount=cad("1100.00"), amended_by=administrator)
    recurring_post_due(today=date(2026, 4, 30))
    assert occurrences(rent) == [
        (date(2025, 4, 30), cad("1000.00"), POSTED),
        (date(2025, 5, 30), cad("1000.00"), POSTED),
        (date(2025, 6, 30), cad("1000.00"), POSTED),
        (date(2025, 7, 30), cad("1100.00"), POSTED),
        (date(2025, 8, 30), cad("1100.00"), POSTED),
        (date(2025, 9, 30), cad("1100.00"), POSTED),
        (date(2025, 10, 30), cad("1100.00"), POSTED),
        (date(2025, 11, 30), cad("1100.00"), POSTED),
        (date(2025, 12, 30), cad("1100.00"), POSTED),
        (date(2026, 1, 30), cad("1100.00"), POSTED),
        (date(2026, 2, 28), cad("1100.00"), POSTED),
        (date(2026, 3, 30), cad("1100.00"), POSTED),
        (date(2026, 4, 30), cad("1122.00"), POSTED),
    ]
    amendment = rent.amendments.get()
    assert (amendment.amount, amendment.amended_by) == (cad("1100.00"), administrator)
    assert amendment.history.get().history_user == administrator


def test_an_amendment_reprices_an_occurrence_not_posted_yet_and_a_second_from_the_same_date_replaces_it(
    make_schedule, joined, party, finance_user
):
    from sharedcosts.models import Participation

    rent = make_schedule()
    Participation.objects.filter(pool=joined, party=party).delete()
    recurring_post_due(today=date(2025, 4, 30))
    assert occurrences(rent) == [(date(2025, 4, 30), cad("1000.00"), OccurrenceStatus.FAILED)]
    recurring_amend(schedule=rent, effective_from=date(2025, 4, 30), amount=cad("950.00"), amended_by=finance_user)
    recurring_amend(schedule=rent, effective_from=date(2025, 4, 30), amount=cad("975.00"), amended_by=finance_user)
    assert occurrences(rent) == [(date(2025, 4, 30), cad("975.00"), OccurrenceStatus.FAILED)]
    assert rent.amendments.count() == 1
    assert [h.amount for h in rent.amendments.get().history.order_by("history_date")] == [cad("950.00"), cad("975.00")]
    assert [h.amount for h in rent.occurrences.get().history.order_by("history_date")] == [
        cad("1000.00"), cad("1000.00"), cad("950.00"), cad("975.00"),
    ]


@pytest.mark.parametrize(
    ("effective_from", "amount", "code"),
    [
        (date(2025, 4, 29), "1100.00", "amendment_outside_schedule"),
        (date(2025, 6, 1), "0.00", "not_positive"),
    ],
)
def test_an_amendment_that_cannot_apply_is_refused(make_schedule, finance_user, effective_from, amount, code):
    rent = make_schedule()
    before = written()
    with pytest.raises(RecurringError) as refused:
        recurring_amend(schedule=rent, effective_from=effective_from, amount=cad(amount), amended_by=finance_user)
    assert refused.value.code == code
    assert written() == before


def test_a_pause_posts_nothing_from_its_date_and_a_resume_skips_the_days_of_the_pause(make_schedule, finance_user):
    rent = make_schedule()
    recurring_pause(schedule=rent, paused_from=date(2025, 7, 1), paused_by=finance_user)
    assert recurring_post_due(today=date(2025, 9, 29)).posted == 3
    recurring_resume(schedule=rent, resumed_on=date(2025, 9, 15), resumed_by=finance_user)
    recurring_post_due(today=date(2025, 10, 30))
    note = "Sautée\xa0: le calendrier était en pause du 1er juillet 2025 au 14 septembre 2025."
    assert [(o.date, o.status, o.note) for o in rent.occurrences.order_by("date")] == [
        (date(2025, 4, 30), POSTED, ""),
        (date(2025, 5, 30), POSTED, ""),
        (date(2025, 6, 30), POSTED, ""),
        (date(2025, 7, 30), SKIPPED, note),
        (date(2025, 8, 30), SKIPPED, note),
        (date(2025, 9, 30), POSTED, ""),
        (date(2025, 10, 30), POSTED, ""),
    ]
    assert [h.paused_from for h in rent.history.order_by("history_date")] == [None, date(2025, 7, 1), None]


def test_pause_and_resume_refuse_what_makes_no_sense(make_schedule, finance_user):
    rent = make_schedule()
    recurring_post_due(today=date(2025, 5, 30))
    with pytest.raises(RecurringError) as refused:
        recurring_pause(schedule=rent, paused_from=date(2025, 5, 1), paused_by=finance_user)
    assert refused.value.code == "posted_after"
    with pytest.raises(RecurringError) as refused:
        recurring_resume(schedule=rent, resumed_on=date(2025, 6, 1), resumed_by=finance_user)
    assert refused.value.code == "not_paused"
    recurring_pause(schedule=rent, paused_from=date(2025, 6, 1), paused_by=finance_user)
    with pytest.raises(RecurringError) as refused:
        recurring_pause(schedule=rent, paused_from=date(2025, 7, 1), paused_by=finance_user)
    assert refused.value.code == "already_paused"
    with pytest.raises(RecurringError) as refused:
        recurring_resume(schedule=rent, resumed_on=date(2025, 5, 31), resumed_by=finance_user)
    assert refused.value.code == "resume_before_pause"


def test_an_early_end_skips_what_comes_after_and_refuses_to_end_before_a_posted_occurrence(make_schedule, finance_user):
    rent = make_schedule(end_date=date(2026, 3, 31))
    recurring_post_due(today=date(2025, 6, 30))
    with pytest.raises(RecurringError) as refused:
        recurring_end(schedule=rent, end_date=date(2025, 6, 29), ended_by=finance_user)
    assert refused.value.code == "posted_after"
    with pytest.raises(RecurringError) as refused:
        recurring_end(schedule=rent, end_date=date(2026, 3, 31), ended_by=finance_user)
    assert refused.value.code == "not_earlier"
    recurring_end(schedule=rent, end_date=date(2025, 8, 31), ended_by=finance_user)
    assert recurring_post_due(today=date(2026, 3, 31)).posted == 2
    assert [o.date for o in rent.occurrences.order_by("date")][-1] == date(2025, 8, 30)
    assert rent.history.first().end_date == date(2025, 8, 31)


def test_staff_actions_refuse_anyone_but_staff(make_schedule, not_staff):
    rent = make_schedule()
    before = written()
    for action in (
        lambda: recurring_amend(schedule=rent, effective_from=date(2025, 6, 1), amount=cad("1.00"), amended_by=not_staff),
        lambda: recurring_pause(schedule=rent, paused_from=date(2025, 6, 1), paused_by=not_staff),
        lambda: recurring_resume(schedule=rent, resumed_on=date(2025, 6, 1), resumed_by=not_staff),
        lambda: recurring_end(schedule=rent, end_date=date(2025, 6, 1), ended_by=not_staff),
    ):
        with pytest.raises(RecurringError) as refused:
            action()
        assert_not_staff(refused.value)
    assert written() == before


def test_the_database_keeps_one_occurrence_per_day_and_a_posted_one_as_it_is(make_schedule):
    rent = make_schedule()
    recurring_post_due(today=date(2025, 4, 30))
    posted = rent.occurrences.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        RecurringOccurrence.objects.create(schedule=rent, date=date(2025, 4, 30), amount=cad("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        RecurringOccurrence.objects.filter(pk=posted.pk).update(amount=cad("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        RecurringOccurrence.objects.filter(pk=posted.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        RecurringExpense.objects.filter(pk=rent.pk).update(rhythm=Rhythm.DATES)
    posted.refresh_from_db()
    assert (posted.amount, posted.status) == (cad("1000.00"), POSTED)


@pytest.mark.parametrize(
    ("language", "message"),
    [("fr-ca", "Une indexation annuelle est entre 0\u00a0% et 100\u00a0%, pas 150\u00a0%."), ("en", "A yearly indexation is between 0% and 100%, not 150%.")],
)
def test_an_indexation_out_of_range_is_refused_as_a_percentage(make_schedule, language, message):
    with translation.override(language), pytest.raises(SharedCostsError) as refused:
        make_schedule(indexation_rate="1.5")
    assert refused.value.messages == [message]
