"""The admin's export: columns to tick named in the person's language, never by field name; the file's headers
French, so that an export from the English interface imports again."""

import pytest
from django.conf import settings
from django.utils import translation

from ledger.models import Party
from ledger.resources import PartyResource
from spreadsheets.runs import file_import

EXPENSES_EXPORT = "/admin/sharedcosts/expense/export/"
PARTIES_EXPORT = "/admin/ledger/party/export/"


@pytest.fixture(autouse=True)
def _language_restored():
    """The middleware activates the cookie's language in this thread: the tests that follow speak French again."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def _labels(response) -> dict[str, str]:
    form = response.context["form"]
    return {name: str(field.label) for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)}


def test_the_french_chooser_names_the_columns_by_their_french_headers(db, admin_client):
    response = admin_client.get(EXPENSES_EXPORT)
    labels = _labels(response)
    assert labels["expenseresource_payer"] == "Payé par"
    assert labels["expenseresource_amount"] == "Montant"
    assert labels["expenseresource_currency"] == "Devise"
    chosen = response.context["form"].fields["format"]
    offered = [(index, str(title)) for index, title in chosen.choices]
    assert (str(chosen.label), offered, chosen.initial) == (
        "Type de fichier", [("1", "Classeur Excel (.xlsx)"), ("0", "Fichier CSV (.csv)")], "1"
    )
    page = response.content.decode()
    assert "Tout cocher" in page and "Select all" not in page and "Formule" not in page
    assert "Payer" not in page and "(payé par)" not in page


def test_the_english_chooser_names_the_columns_in_english_with_the_header_the_file_holds(db, admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = admin_client.get(EXPENSES_EXPORT)
    labels = _labels(response)
    assert labels["expenseresource_payer"] == "Paid by (payé par)"
    assert labels["expenseresource_pool"] == "Pool (regroupement)"
    assert labels["expenseresource_currency"] == "Currency (devise)"
    assert "Tick all" in response.content.decode()


def test_an_export_from_the_english_interface_has_the_french_headers_and_imports_again(db, admin_client):
    Party.objects.create(name="Maison des jeunes de Saint-Jérôme", kind="community_youth", sector="sud", liaison_name="Julie Tremblay")
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    columns = PartyResource().get_export_order()
    response = admin_client.post(PARTIES_EXPORT, {"format": "0", "resource": "0", **{f"partyresource_{name}": "on" for name in columns}})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "nom,catégorie,secteur,personne-ressource,courriel,téléphone,actif"
    report = file_import(PartyResource(), response.content, dry_run=True)
    assert report.ok and report.skipped == 1  # the same partner, unchanged


def test_the_english_chooser_names_the_file_types_as_people_know_them(db, admin_client, settings):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    chosen = admin_client.get(EXPENSES_EXPORT).context["form"].fields["format"]
    assert [(index, str(title)) for index, title in chosen.choices] == [("1", "Excel workbook (.xlsx)"), ("0", "CSV file (.csv)")]
