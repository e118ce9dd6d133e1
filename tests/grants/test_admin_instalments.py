"""The instalments' list: by due date, filtered by what needs doing, its amounts totalled under the table."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import HoldCode, Instalment, InstalmentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(make_grant):
    """Three instalments of 1 000 $: ten days late, due in ten days (held), due in sixty days."""
    today = timezone.localdate()
    grant = make_grant(
        amount="3000.00",
        dates=[today - timedelta(days=10), today + timedelta(days=10), today + timedelta(days=60)],
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=90),
        title="Soirées 16-25 ans, une très longue appellation du projet de la maison des jeunes",
    )
    instalments = list(grant.instalments.order_by("sequence"))
    Instalment.objects.filter(pk=instalments[1].pk).update(status=InstalmentStatus.HELD, hold_reason="Rapport attendu")
    return instalments


@pytest.fixture
def staff_client(client, finance_user):
    finance_user.is_staff = True
    finance_user.save(update_fields=["is_staff"])
    client.force_login(finance_user)
    return client


def shown(response) -> list[int]:
    return [instalment.pk for instalment in response.context["cl"].result_list]


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("30-jours", [1]), ("retenus", [1]), ("en-retard", [0]), (None, [0, 1, 2])],
)
def test_the_list_filters_what_is_due_soon_held_or_late(staff_client, schedule, choice, expected):
    url = reverse("admin:grants_instalment_changelist") + (f"?echeance={choice}" if choice else "")
    response = staff_client.get(url)
    assert response.status_code == 200
    assert shown(response) == [schedule[index].pk for index in expected]


@pytest.mark.parametrize(
    ("language", "choices"),
    [("fr-ca", ["Dans les 30 prochains jours", "Retenus", "En retard"]), ("en", ["In the next 30 days", "Held", "Overdue"])],
)
def test_the_due_filter_names_its_choices_as_the_others_do(staff_client, schedule, settings, language, choices):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = staff_client.get(reverse("admin:grants_instalment_changelist"))
    [due] = [spec for spec in response.context["cl"].filter_specs if getattr(spec, "parameter_name", "") == "echeance"]
    assert [label for _value, label in due.lookup_choices] == choices


def test_the_list_sorts_by_due_date_and_totals_the_filtered_rows(staff_client, schedule):
    Instalment.objects.filter(pk=schedule[0].pk).update(due_date=timezone.localdate() + timedelta(days=70))
    response = staff_client.get(reverse("admin:grants_instalment_changelist"))
    assert shown(response) == [schedule[1].pk, schedule[2].pk, schedule[0].pk]
    [total] = response.context["money_totals"]
    assert total.amounts == ["3\u00a0000,00\u00a0$"]
    text = response.content.decode()
    assert 'class="amount">1\u00a0000,00\u00a0$</span>' in text
    assert "Soirées 16-25 ans, une très longue appellation du…" in text

    held = staff_client.get(reverse("admin:grants_instalment_changelist") + "?echeance=retenus")
    assert held.context["money_totals"][0].amounts == ["1\u00a0000,00\u00a0$"]


def test_a_hold_reads_in_the_staff_member_s_language_in_the_list_the_instalment_and_its_grant(
    schedule, staff_client, settings
):
    held = schedule[1]
    Instalment.objects.filter(pk=held.pk).update(
        hold_code=HoldCode.OVERDUE_REPORT,
        hold_params={"report": 1, "kind": "final", "due_date": "2026-11-19"},
        hold_reason="",
    )
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pages = [
        reverse("admin:grants_instalment_changelist"),
        reverse("admin:grants_instalment_change", args=[held.pk]),
        reverse("admin:grants_grant_change", args=[held.grant_id]),
    ]
    for page in pages:
        assert "The final report due on November 19, 2026" in staff_client.get(page).content.decode()


@pytest.fixture
def overdue_hold(schedule):
    """The held instalment, held for its grant's final report due on 19 November 2026, by the service's route."""
    held = Instalment.objects.get(pk=schedule[1].pk)
    held.hold_code = HoldCode.OVERDUE_REPORT
    held.hold_params = {"report": 1, "kind": "final", "due_date": "2026-11-19"}
    held.hold_reason = ""
    held.save()
    return held


def test_an_instalment_page_shows_its_hold_once_in_words_with_nothing_to_edit_or_save(staff_client, overdue_hold):
    url = reverse("admin:grants_instalment_change", args=[overdue_hold.pk])
    response = staff_client.get(url)
    page = response.content.decode()
    assert page.count("Motif de la retenue") == 1
    assert "Le rapport final attendu le 19 novembre 2026 n’a pas encore été accepté" in page
    for internal in ('"due_date":', "2026-11-19", 'name="hold_', "un versement retenu avant que les retenues", 'name="_save"'):
        assert internal not in page
    staff_client.post(url, {"hold_code": "", "hold_params": "{}", "hold_reason": "rien"})
    overdue_hold.refresh_from_db()
    assert (overdue_hold.hold_code, overdue_hold.hold_reason) == (HoldCode.OVERDUE_REPORT, "")


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "en",
            [
                "Status: Scheduled\xa0→\xa0Held",
                "Reason for the hold: —\xa0→\xa0The final report due on November 19, 2026 has not been accepted yet;",
            ],
        ),
        (
            "fr-ca",
            [
                "Statut\xa0: Prévu\xa0→\xa0Retenu",
                "Motif de la retenue\xa0: —\xa0→\xa0Le rapport final attendu le 19 novembre 2026 n’a pas encore été accepté;",
            ],
        ),
    ],
)
def test_the_history_writes_a_hold_once_in_the_readers_words_and_punctuation(
    staff_client, settings, overdue_hold, language, lines
):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = staff_client.get(reverse("admin:grants_instalment_history", args=[overdue_hold.pk])).content.decode()
    text = re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", "", page)))
    for line in lines:
        assert line in text
    for raw in ("overdue_report", "2026-11-19", "due_date", "hy it is held", "hat the hold names", "Status :", "hold :"):
        assert raw not in text
