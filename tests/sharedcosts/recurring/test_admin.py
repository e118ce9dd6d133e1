"""The recurring expenses' screens: created through the service, staff actions on their own pages, the pool's line."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from sharedcosts.recurring.models import RecurringExpense

from ..conftest import cad

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_of(client):
    def login(user):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        client.force_login(user)
        return client

    return login


def test_a_recurring_expense_is_created_from_the_admin_and_a_refusal_is_shown(admin_client_of, finance_user, joined, party):
    client = admin_client_of(finance_user)
    data = {
        "pool": joined.pk,
        "payer": party.pk,
        "vendor": "Immeubles Labelle inc.",
        "description": "Loyer",
        "amount_0": "1500.00",
        "amount_1": "CAD",
        "rhythm": "monthly",
        "start_date": "2025-04-30",
        "end_date": "",
        "dates": "2025-05-01",
        "indexation_rate": "2,5 %",
    }
    response = client.post(reverse("admin:sharedcosts_recurringexpense_add"), data)
    assert response.status_code == 200
    assert "Les dates fixées ne valent que pour le rythme «\xa0à des dates fixées\xa0»." in response.content.decode()
    data["dates"] = ""
    response = client.post(reverse("admin:sharedcosts_recurringexpense_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    schedule = RecurringExpense.objects.get()
    assert (schedule.amount, schedule.created_by, schedule.indexation_rate) == (cad("1500.00"), finance_user, Decimal("0.025"))


def test_the_amend_page_calls_the_service_and_shows_its_refusal(admin_client_of, finance_user, make_schedule):
    rent = make_schedule()
    client = admin_client_of(finance_user)
    url = reverse("admin:sharedcosts_recurringexpense_act", args=[rent.pk, "amend"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"effective_from": "2025-01-01", "amount_0": "1100.00", "amount_1": "CAD"})
    assert response.status_code == 200 and rent.amendments.count() == 0
    response = client.post(url, {"effective_from": "2025-06-01", "amount_0": "1100.00", "amount_1": "CAD"})
    assert response.status_code == 302
    assert rent.amendments.get().amount == cad("1100.00")


def test_pause_resume_and_end_pages(admin_client_of, finance_user, make_schedule):
    rent = make_schedule()
    client = admin_client_of(finance_user)

    def act(action: str, day: str) -> int:
        return client.post(reverse("admin:sharedcosts_recurringexpense_act", args=[rent.pk, action]), {"day": day}).status_code

    assert act("pause", "2025-07-01") == 302
    rent.refresh_from_db()
    assert rent.paused_from == date(2025, 7, 1)
    assert act("resume", "2025-06-01") == 200
    assert act("resume", "2025-08-01") == 302
    assert act("end", "2025-12-31") == 302
    rent.refresh_from_db()
    assert (rent.paused_from, rent.end_date) == (None, date(2025, 12, 31))
    assert client.get(reverse("admin:sharedcosts_recurringexpense_act", args=[rent.pk, "delete-all"])).status_code == 404


def test_a_partner_member_reaches_no_action_page(admin_client_of, partner_member, make_schedule):
    rent = make_schedule()
    client = admin_client_of(partner_member)
    response = client.post(reverse("admin:sharedcosts_recurringexpense_act", args=[rent.pk, "pause"]), {"day": "2025-07-01"})
    assert response.status_code == 403
    rent.refresh_from_db()
    assert rent.paused_from is None


def test_the_pages_open_and_the_pool_page_shows_the_difference_with_its_budget(admin_client_of, administrator, make_schedule, joined):
    rent = make_schedule(amount="800.00")
    client = admin_client_of(administrator)
    for url in (
        reverse("admin:sharedcosts_recurringexpense_changelist"),
        reverse("admin:sharedcosts_recurringexpense_add"),
        reverse("admin:sharedcosts_recurringexpense_change", args=[rent.pk]),
        reverse("admin:sharedcosts_recurringexpense_history", args=[rent.pk]),
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("admin:sharedcosts_costpool_change", args=[joined.pk])).content.decode()
    assert "9\xa0600,00\xa0$" in page and "10\xa0000,00\xa0$" in page
    assert "-400,00\xa0$" in page or "−400,00\xa0$" in page


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("fr-ca", {"amend": ["À partir du\u00a0:", "Nouveau montant\u00a0:"], "pause": ["En pause à partir du\u00a0:"],
                   "end": ["Dernier jour\u00a0:"]}),
        ("en", {"amend": ["From:", "New amount:"], "pause": ["Paused from:"], "end": ["Last day:"]}),
    ],
)
def test_the_action_pages_name_their_fields_with_a_capital_and_offer_the_calendar(
    admin_client_of, finance_user, make_schedule, settings, language, labels
):
    rent = make_schedule()
    client = admin_client_of(finance_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for action, expected in labels.items():
        page = client.get(reverse("admin:sharedcosts_recurringexpense_act", args=[rent.pk, action])).content.decode()
        assert re.findall(r"<label[^>]*>([^<]*)</label>", page)[-len(expected):] == expected
        assert 'class="vDateField"' in page


def test_the_resume_page_names_its_day_with_a_capital(admin_client_of, finance_user, make_schedule, settings):
    rent = make_schedule()
    client = admin_client_of(finance_user)
    client.post(reverse("admin:sharedcosts_recurringexpense_act", args=[rent.pk, "pause"]), {"day": "2025-07-01"})
    page = client.get(reverse("admin:sharedcosts_recurringexpense_act", args=[rent.pk, "resume"])).content.decode()
    assert re.findall(r"<label[^>]*>([^<]*)</label>", page)[-1] == "Repris le\u00a0:"


def test_an_amount_is_amended_as_typed_in_french(admin_client_of, finance_user, make_schedule):
    rent = make_schedule()
    client = admin_client_of(finance_user)
    url = reverse("admin:sharedcosts_recurringexpense_act", args=[rent.pk, "amend"])
    response = client.post(url, {"effective_from": "2025-06-01", "amount_0": "1 100,50", "amount_1": "CAD"})
    assert response.status_code == 302
    assert rent.amendments.get().amount == cad("1100.50")


def test_an_indexation_that_is_no_percentage_is_refused_and_nothing_is_written(admin_client_of, finance_user, joined, party):
    client = admin_client_of(finance_user)
    data = {
        "pool": joined.pk, "payer": party.pk, "vendor": "Immeubles Labelle inc.", "description": "Loyer",
        "amount_0": "1500,00", "amount_1": "CAD", "rhythm": "monthly", "start_date": "2025-04-30",
        "indexation_rate": "0,025 pour cent",
    }
    page = client.post(reverse("admin:sharedcosts_recurringexpense_add"), data).content.decode()
    assert "«\u00a00,025 pour cent\u00a0» n’est pas un pourcentage\u00a0: écrivez-le comme 12,5." in page
    data["indexation_rate"] = "150 %"
    page = client.post(reverse("admin:sharedcosts_recurringexpense_add"), data).content.decode()
    assert "Une indexation annuelle est entre 0\u00a0% et 100\u00a0%, pas 150\u00a0%." in page
    assert "L’indexation annuelle doit être comprise" not in page  # said once, beside its field
    assert "Saisissez un nombre." not in page  # the amount, typed the French way, is read
    assert not RecurringExpense.objects.exists()


@pytest.mark.parametrize(("language", "written"), [("fr-ca", "2,5\u00a0%"), ("en", "2.5%")])
def test_a_schedules_page_writes_its_indexation_as_a_percentage(admin_client_of, finance_user, make_schedule, settings, language, written):
    rent = make_schedule(indexation_rate="0.0250")
    client = admin_client_of(finance_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("admin:sharedcosts_recurringexpense_change", args=[rent.pk])).content.decode()
    assert f'<div class="readonly">{written}</div>' in page
    assert "0,0250" not in page and "0.0250" not in page


def action_links(page: str) -> list[str]:
    return re.findall(r'<a href="/admin/sharedcosts/recurringexpense/\d+/do/[\w-]+/">([^<]+)</a>', page)


def test_a_schedules_page_offers_the_actions_that_apply_and_no_save_button(admin_client_of, finance_user, make_schedule):
    rent = make_schedule()
    client = admin_client_of(finance_user)
    url = reverse("admin:sharedcosts_recurringexpense_change", args=[rent.pk])
    page = client.get(url).content.decode()
    assert action_links(page) == ["Modifier le montant à partir d’une date", "Mettre en pause", "Terminer plus tôt"]
    assert 'name="_save"' not in page and 'name="_addanother"' not in page and 'name="_continue"' not in page
    client.post(reverse("admin:sharedcosts_recurringexpense_act", args=[rent.pk, "pause"]), {"day": "2025-07-01"})
    assert action_links(client.get(url).content.decode()) == [
        "Modifier le montant à partir d’une date", "Reprendre", "Terminer plus tôt"
    ]


def test_a_schedule_that_has_ended_offers_no_action(admin_client_of, finance_user, make_schedule):
    rent = make_schedule(end_date=date(2025, 12, 31))
    client = admin_client_of(finance_user)
    assert action_links(client.get(reverse("admin:sharedcosts_recurringexpense_change", args=[rent.pk])).content.decode()) == []
