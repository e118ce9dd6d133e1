"""The staff dashboard: its figures are the selectors' and the ledger's, and only staff see it."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from moneyed import Money

from grants.models import FundingProgramme, Instalment, InstalmentStatus
from grants.selectors import programme_amounts
from ledger.dates import add_months
from ledger.models import Account, FiscalPeriod
from ledger.selectors import account_balance
from portal.dashboard.composition import dashboard_compose
from sharedcosts.selectors import fiscal_year_pools, pool_balances

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo")
    return get_user_model().objects


def test_the_dashboard_figures_are_the_selectors_and_the_ledgers(demo):
    today = timezone.localdate()
    year = FiscalPeriod.year_of(today)
    board = dashboard_compose(user=demo.get(username="finances"), start_year=year, currency="CAD", today=today)

    programmes = FundingProgramme.objects.filter(fiscal_year=year, amount_currency="CAD")
    assert [line.programme.pk for line in board.programmes] == list(programmes.order_by("name").values_list("pk", flat=True))
    assert board.programmes
    for line in board.programmes:
        amounts = programme_amounts(programme=line.programme)
        assert (line.envelope, line.committed, line.disbursed, line.available) == (
            amounts.envelope,
            amounts.committed,
            amounts.disbursed,
            amounts.available,
        )

    pools = [pool for pool in fiscal_year_pools(year) if pool.currency == "CAD"]
    assert sorted(line.pool.pk for line in board.pools) == sorted(pool.pk for pool in pools)
    for line in board.pools:
        cost = account_balance(account=Account.objects.get(code=line.pool.cost_account_code))
        assert line.not_allocated == -cost
        balances = pool_balances(pool=line.pool)
        assert {party.pk: owed for party, owed in line.owing} == {
            party_id: -balance for party_id, balance in balances.items() if balance.amount < 0
        }

    held = Instalment.objects.filter(status=InstalmentStatus.HELD, amount_currency="CAD")
    assert [instalment.pk for instalment in board.held] == list(held.order_by("due_date", "pk").values_list("pk", flat=True))
    first = today.replace(day=1)
    assert board.months[0].first_day == first and len(board.months) == 3
    upcoming = Instalment.objects.filter(
        due_date__gte=first,
        due_date__lt=add_months(first, 3),
        status__in=[InstalmentStatus.SCHEDULED, InstalmentStatus.FAILED, InstalmentStatus.HELD],
        amount_currency="CAD",
    )
    assert sum(month.count for month in board.months) == upcoming.count()
    assert sum((month.total for month in board.months), Money("0.00", "CAD")) == Money(
        sum((instalment.amount.amount for instalment in upcoming), Decimal("0.00")), "CAD"
    )
    assert board.approvals is None
    assert len(board.latest) == 10
    assert all(moved.amount > Decimal("0") for _txn, _line, moved in board.latest)


def test_administrators_see_what_others_prepared_for_their_approval(demo):
    today = timezone.localdate()
    board = dashboard_compose(
        user=demo.get(username="administrateur"), start_year=FiscalPeriod.year_of(today), currency="CAD", today=today
    )
    assert board.approvals is not None
    assert all(grant.created_by.username != "administrateur" for grant in board.approvals.grants)
    assert all(allocation.prepared_by.username != "administrateur" for allocation in board.approvals.allocations)


def test_the_page_shows_the_figures_with_links_to_their_lists(client, demo):
    client.force_login(demo.get(username="finances"))
    page = client.get(reverse("dashboard:index")).content.decode()
    assert "Tableau de bord" in page
    assert reverse("admin:grants_instalment_changelist") + "?status__exact=held" in page
    assert "\xa0$" in page and "None" not in page and "CA$" not in page


def test_partners_are_refused_and_anonymous_visitors_sent_to_log_in(client, demo):
    assert client.get(reverse("dashboard:index")).status_code == 302
    client.force_login(demo.get(username="mdj-sj"))
    assert client.get(reverse("dashboard:index")).status_code == 403


def test_the_upcoming_view_holds_the_recurring_expenses_of_the_next_three_months(party, finance_user):
    from datetime import date

    from sharedcosts.models import CostPool, Participation, PoolKind
    from sharedcosts.recurring.models import Rhythm
    from sharedcosts.recurring.run import recurring_post_due
    from sharedcosts.recurring.services import recurring_create

    pool = CostPool.objects.create(
        kind=PoolKind.PREMISES, name="Locaux", budgeted_cost=Money("12000.00", "CAD"),
        start_date=date(2025, 4, 1), end_date=date(2026, 3, 31),
    )
    Participation.objects.create(pool=pool, party=party)
    recurring_create(
        pool=pool, payer=party, vendor="Immeubles Labelle inc.", amount=Money("1000.00", "CAD"),
        rhythm=Rhythm.MONTHLY, start_date=date(2025, 4, 30), created_by=finance_user,
    )
    recurring_post_due(today=date(2025, 6, 30))
    board = dashboard_compose(user=finance_user, start_year=2025, currency="CAD", today=date(2025, 6, 15))
    # June is posted already; July and August are to come.
    assert [(o.date, o.amount) for o in board.recurring] == [
        (date(2025, 7, 30), Money("1000.00", "CAD")),
        (date(2025, 8, 30), Money("1000.00", "CAD")),
    ]
    assert dashboard_compose(user=finance_user, start_year=2025, currency="USD", today=date(2025, 6, 15)).recurring == []


@pytest.fixture
def rent_posted_in_french(party, finance_user):
    """A rent paid on 1 April 2026, posted by someone reading in French: its stored memo is French."""
    from datetime import date

    from django.utils import translation

    from sharedcosts.models import CostPool, Expense, Participation, PoolKind
    from sharedcosts.services import expense_post

    pool = CostPool.objects.create(
        kind=PoolKind.PREMISES, name="Locaux", budgeted_cost=Money("12000.00", "CAD"),
        start_date=date(2026, 4, 1), end_date=date(2027, 3, 31),
    )
    Participation.objects.create(pool=pool, party=party)
    with translation.override("fr-ca"):
        expense = expense_post(
            expense=Expense(pool=pool, payer=party, vendor="Loyer", date=date(2026, 4, 1), amount=Money("1000.00", "CAD")),
            posted_by=finance_user,
        )
    assert expense.transaction.memo == "Loyer, payé par Maison des jeunes de Saint-Jérôme pour Locaux"
    return expense


def test_an_english_reader_sees_the_latest_postings_in_english_dated_as_they_write(client, finance_user, rent_posted_in_french):
    client.force_login(finance_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("dashboard:index") + "?annee=2026").content.decode()
    assert "Loyer, paid by Maison des jeunes de Saint-Jérôme for Locaux" in page
    assert "April 1, 2026" in page
    assert "payé par" not in page


def test_a_french_reader_sees_the_first_of_the_month_written_1er(client, finance_user, rent_posted_in_french):
    client.force_login(finance_user)
    page = client.get(reverse("dashboard:index") + "?annee=2026").content.decode().replace("\xa0", " ")
    assert "<td class=\"date\">1er avril 2026</td>" in page
    assert "Loyer, payé par Maison des jeunes de Saint-Jérôme pour Locaux" in page
    assert ">1 avril" not in page


def test_the_latest_postings_are_those_of_the_chosen_fiscal_year_latest_first(demo):
    today = timezone.localdate()
    year = FiscalPeriod.year_of(today)
    period = FiscalPeriod(start_year=year)
    board = dashboard_compose(user=demo.get(username="finances"), start_year=year, currency="CAD", today=today)

    dates = [txn.date for txn, _line, _moved in board.latest]
    assert dates and all(period.start_date <= day <= period.end_date for day in dates)
    assert dates == sorted(dates, reverse=True)
    previous = dashboard_compose(user=demo.get(username="finances"), start_year=year - 1, currency="CAD", today=today)
    assert all(txn.date < period.start_date for txn, _line, _moved in previous.latest)


def test_each_months_figures_are_those_of_the_list_it_links_to(client, demo):
    today = timezone.localdate()
    board = dashboard_compose(
        user=demo.get(username="finances"), start_year=FiscalPeriod.year_of(today), currency="CAD", today=today
    )
    client.force_login(demo.get(username="administrateur"))
    for month in board.months:
        listed = client.get(month.url).context["cl"].queryset
        assert month.count == listed.count()
        assert month.total == Money(sum((i.amount.amount for i in listed), Decimal("0.00")), "CAD")
    assert sum(month.count for month in board.months) > 0


def test_the_pools_warning_says_shares_were_posted_beyond_the_expenses_recorded(client, demo):
    client.force_login(demo.get(username="administrateur"))
    page = client.get(reverse("dashboard:index")).content.decode()
    assert "Un regroupement a des parts comptabilisées au-delà des dépenses inscrites." in page
    assert "dépenses pas encore réparties" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("dashboard:index")).content.decode()
    assert "One pool has shares posted beyond the expenses recorded." in page


def test_the_pools_warnings_count_each_way_a_pool_is_out_of_balance(demo):
    from dataclasses import replace

    today = timezone.localdate()
    board = dashboard_compose(
        user=demo.get(username="finances"), start_year=FiscalPeriod.year_of(today), currency="CAD", today=today
    )
    line = board.pools[0]
    spent_more = replace(line, expenses=Money("100.00", "CAD"), shares_posted=Money("40.00", "CAD"))
    shared_more = replace(line, expenses=Money("0.00", "CAD"), shares_posted=Money("2400.00", "CAD"))
    balanced = replace(line, expenses=Money("10.00", "CAD"), shares_posted=Money("10.00", "CAD"))
    board = replace(board, pools=[spent_more, shared_more, shared_more, balanced])
    assert board.pools_not_allocated == [spent_more]
    assert board.pools_over_allocated == [shared_more, shared_more]
