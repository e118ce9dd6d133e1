"""History pages are read, never restored: no revert wording, no revert button, a version's page read-only."""

import html
import re

import pytest
from django.urls import reverse

from ledger.models import Party

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, administrator):
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    client.force_login(administrator)
    return client


@pytest.fixture
def renamed(party: Party) -> Party:
    """A party whose name changed once: two versions, the older one under its old name."""
    party.name = "Maison des jeunes, nouveau nom"
    party.save()
    return party


def page_text(response) -> str:
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def breadcrumbs(response) -> str:
    [crumbs] = re.findall(r'<div class="breadcrumbs">(.*?)</div>', response.content.decode(), re.S)
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", "", crumbs))).strip()


def older_version_url(party: Party) -> str:
    older = party.history.order_by("history_date").first()
    return reverse("admin:ledger_party_simple_history", args=[party.pk, older.history_id])


@pytest.mark.parametrize(
    ("language", "title", "forbidden"),
    [
        ("fr-ca", "Historique\u00a0: ", ["Choisissez une date", "revenir à une version", "Rétablir"]),
        ("en", "History: ", ["Choose a date", "revert", "Revert"]),
    ],
)
def test_the_history_page_promises_no_way_back(staff_client, renamed, settings, language, title, forbidden):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = staff_client.get(reverse("admin:ledger_party_history", args=[renamed.pk]))
    assert response.status_code == 200
    text = page_text(response)
    assert f"{title}Maison des jeunes, nouveau nom" in text
    for words in forbidden:
        assert words not in text


@pytest.mark.parametrize(
    ("language", "crumbs", "label"),
    [
        ("fr-ca", "Accueil › Grand livre › Partenaires › Maison des jeunes de Saint-Jérôme › Historique › Version du ", "Nom\u00a0:"),
        ("en", "Home › Ledger › Parties › Maison des jeunes de Saint-Jérôme › History › Version of ", "Name:"),
    ],
)
def test_a_past_version_reads_in_words_with_nothing_to_save(staff_client, renamed, settings, language, crumbs, label):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = staff_client.get(older_version_url(renamed))
    assert response.status_code == 200
    assert breadcrumbs(response).startswith(crumbs), breadcrumbs(response)
    text = page_text(response)
    assert label in text
    for words in ("Rétablir", "Revert", "l' objet", "Historical", "Ledger ›" if language.startswith("fr") else "Historique"):
        assert words not in text
    assert 'name="name"' not in response.content.decode()
    assert 'name="_save"' not in response.content.decode()


def test_posting_a_past_version_is_refused_and_changes_nothing(staff_client, renamed):
    response = staff_client.post(older_version_url(renamed), {"name": "Ancien nom", "_save": "Revert"})
    assert response.status_code == 405
    renamed.refresh_from_db()
    assert renamed.name == "Maison des jeunes, nouveau nom"
    assert renamed.history.count() == 2


@pytest.mark.parametrize(("language", "line"), [("fr-ca", "Nom\u00a0: "), ("en", "Name: ")])
def test_a_change_is_labelled_with_the_readers_punctuation(staff_client, renamed, settings, language, line):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    text = page_text(staff_client.get(reverse("admin:ledger_party_history", args=[renamed.pk])))
    assert f"{line}Maison des jeunes de Saint-Jérôme\xa0→\xa0Maison des jeunes, nouveau nom" in text
    assert ("Name :" if language == "en" else "Nom:") not in text


def test_an_admin_built_on_simple_history_alone_keeps_its_past_versions_read_only(staff_client):
    """The per-km rates' admin builds on SimpleHistoryAdmin itself: its versions are read-only all the same."""
    from datetime import date

    from moneyed import Money

    from sharedcosts.travel.models import MileageRate

    rate = MileageRate.objects.create(effective_from=date(2026, 4, 1), per_km=Money("0.5000", "CAD"), source="Politique")
    rate.source = "Politique révisée"
    rate.save()
    older = rate.history.order_by("history_date").first()
    url = reverse("admin:sharedcosts_mileagerate_simple_history", args=[rate.pk, older.history_id])
    page = staff_client.get(url)
    assert page.status_code == 200
    assert 'name="source"' not in page.content.decode()
    assert breadcrumbs(page).startswith("Accueil › Coûts partagés › Taux au kilomètre › ")
    response = staff_client.post(url, {"effective_from": "2026-04-01", "per_km_0": "0.5", "per_km_1": "CAD", "source": "Politique"})
    assert response.status_code == 405
    rate.refresh_from_db()
    assert rate.source == "Politique révisée"


def test_the_history_column_of_a_change_keeps_django_s_modifier_on_the_index(staff_client, renamed):
    index = page_text(staff_client.get(reverse("admin:index")))
    assert "Modifier" in index
    assert "Changement" not in index
    history = page_text(staff_client.get(reverse("admin:ledger_party_history", args=[renamed.pk])))
    assert "Changement" in history
