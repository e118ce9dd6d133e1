"""What the portal shows an organisation, and the bad inputs of the report form."""

import csv
import io
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from grants.models import (
    Instalment,
    InstalmentStatus,
    ProjectReport,
    ProjectReportVersion,
    ReportAttachment,
    ReportContent,
    ReportKind,
    ReportRequirement,
    ReportStatus,
)
from grants.services import report_request_changes
from ledger.models import Party, PartyKind, Sector

from .conftest import PDF

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page with the non-breaking spaces of French numbers as plain spaces."""
    return response.content.decode().replace("\u202f", " ").replace("\xa0", " ")


def test_the_home_shows_grants_payments_reports_and_pools_of_the_organisation(client, party, world, member_a):
    client.force_login(member_a)
    page = text(client.get(reverse("portal:party", args=[party.pk])))
    assert "Soirées 16-25 ans" in page
    assert "Travail de rue l’hiver" not in page  # B's grant
    assert "10 000,00" in page and "5 000,00" in page  # amount, paid so far (French first)
    assert "Locaux partagés" in page
    assert reverse("portal:report", args=[party.pk, world["requirement_a"].pk]) in page


def test_the_home_shows_a_held_instalment_with_its_reason_and_the_report_that_releases_it(
    client, party, world, member_a
):
    grant = world["grant_a"]
    overdue = ReportRequirement.objects.create(
        grant=grant, kind=ReportKind.FINAL, content=ReportContent.NARRATIVE, due_date=date(2025, 8, 1)
    )
    from grants.services import disbursements_post_due

    disbursements_post_due(today=date(2025, 9, 2))
    assert grant.instalments.filter(status=InstalmentStatus.HELD).count() == 1
    client.force_login(member_a)
    page = text(client.get(reverse("portal:party", args=[party.pk])))
    assert "Le rapport final attendu le 1er août 2025 n’a pas encore été accepté" in page
    assert reverse("portal:report", args=[party.pk, overdue.pk]) in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get(reverse("portal:party", args=[party.pk])))
    assert "The final report due on August 1, 2025 has not been accepted yet" in page
    assert "2025-08-01" not in page


def test_a_hold_reads_in_the_reader_s_language_with_its_date_in_words(client, party, world, member_a):
    grant = world["grant_a"]
    ReportRequirement.objects.create(
        grant=grant, kind=ReportKind.INTERIM, content=ReportContent.BOTH, due_date=date(2026, 11, 19)
    )
    grant.instalments.filter(status=InstalmentStatus.SCHEDULED).update(due_date=date(2026, 11, 25))
    from grants.services import disbursements_post_due

    disbursements_post_due(today=date(2026, 11, 26))
    client.force_login(member_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get(reverse("portal:party", args=[party.pk])))
    assert (
        "Why: The interim report due on November 19, 2026 has not been accepted yet; "
        "accepting it releases this payment." in page
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr-ca"
    page = text(client.get(reverse("portal:party", args=[party.pk])))
    assert "Le rapport d’étape attendu le 19 novembre 2026 n’a pas encore été accepté" in page


def test_a_hold_written_before_codes_shows_its_sentence(client, party, world, member_a):
    instalment = world["grant_a"].instalments.get(status=InstalmentStatus.SCHEDULED)
    Instalment.objects.filter(pk=instalment.pk).update(
        status=InstalmentStatus.HELD, hold_reason="Le rapport attendu le 2025-08-01 manque"
    )
    client.force_login(member_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Le rapport attendu le 2025-08-01 manque" in text(client.get(reverse("portal:party", args=[party.pk])))


def test_the_statement_downloads_as_csv_and_pdf_with_name_period_and_balances(client, party, world, member_a):
    client.force_login(member_a)
    page = text(client.get(reverse("portal:statement", args=[party.pk]) + "?annee=2025"))
    assert "2025-2026" in page and "5 000,00" in page
    response = client.get(reverse("portal:statement_csv", args=[party.pk]) + "?annee=2025")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][1] == party.name
    assert rows[1][1] == "2025-2026"
    assert rows[3][1] == "0,00"
    assert rows[-1][1] == "5000,00"
    response = client.get(reverse("portal:statement_pdf", args=[party.pk]) + "?annee=2025")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # A year nobody typed sensibly is not an error page.
    assert client.get(reverse("portal:statement", args=[party.pk]) + "?annee=abc").status_code == 200
    assert client.get(reverse("portal:statement", args=[party.pk]) + "?devise=XYZ").status_code == 404


def test_the_statement_csv_follows_the_persons_dialect_and_never_hands_over_a_formula(client, party, world, member_a):
    party.name = '=HYPERLINK("http://evil.example","x")'
    party.save()
    client.force_login(member_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("portal:statement_csv", args=[party.pk]) + "?annee=2025")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert (rows[3][1], rows[-1][1]) == ("0.00", "5000.00")


def test_the_pdf_statement_draws_french_text(party, world):
    from ledger.selectors import party_statement
    from portal.statement_pdf import statement_pdf

    party.name = "Œuvre des jeunes de l’île — Saint-Jérôme"
    statement = party_statement(party=party, start=date(2025, 4, 1), end=date(2026, 3, 31), currency="CAD")
    with translation.override("fr-ca"):
        content = statement_pdf(statement=statement, kinds={}, period_label="2025-2026")
    assert content.startswith(b"%PDF") and len(content) > 1000


def test_an_attachment_is_served_only_as_a_download_to_who_may_see_it(client, party, world, member_a):
    client.force_login(member_a)
    attachment = world["attachment_a"]
    response = client.get(reverse("portal:attachment", args=[party.pk, world["requirement_a"].pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def open_requirement(world):
    return world["requirement_b"]


def _post(client, party, requirement, **data):
    payload = {
        "action": "submit",
        "versions": 0,
        "activities": "Ateliers de prévention",
        "what_worked": "La collaboration",
        "what_did_not": "Les horaires",
        "partners_involved": "",
        "youth_12_17": "12",
        "youth_18_25": "8",
        "activities_held": "4",
        "municipalities_reached": "2",
        "spending_activities": "1500.00",
    }
    payload.update(data)
    payload = {key: value for key, value in payload.items() if value is not None}
    return client.post(reverse("portal:report", args=[party.pk, requirement.pk]), payload)


def _nothing_written():
    return (
        ProjectReport.objects.count(),
        ProjectReportVersion.objects.count(),
        ReportAttachment.objects.count(),
    )


def test_a_partner_submits_a_report_with_an_attachment_and_a_double_submit_is_refused(
    client, other_party, open_requirement, member_b
):
    client.force_login(member_b)
    upload = SimpleUploadedFile("bilan.pdf", PDF, content_type="application/pdf")
    response = _post(client, other_party, open_requirement, attachment=upload)
    assert response.status_code == 302
    report = ProjectReport.objects.get(requirement=open_requirement)
    assert report.status == ReportStatus.SUBMITTED and report.version_count == 1
    assert report.attachments.get().version.number == 1
    before = _nothing_written()
    client.cookies["django_language"] = "en"
    response = _post(client, other_party, open_requirement)  # the same form, sent again
    assert response.status_code == 200
    assert "already submitted" in response.content.decode()
    assert _nothing_written() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"activities": ""}, "This field is required to submit the report."),
        ({"youth_12_17": "-3"}, "greater than or equal to 0"),
        ({"activities_held": "beaucoup"}, "Enter a whole number."),
        ({"spending_travel": "100.00"}, "is not in this grant’s budget"),
        ({"spending_activities": "-5"}, "greater than or equal to 0"),
        ({"attachment": SimpleUploadedFile("bilan.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200)}, "not an accepted document"),
        ({"attachment": SimpleUploadedFile("photo.png", PDF)}, "not an accepted document"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_written(
    client, other_party, open_requirement, member_b, change, message
):
    client.force_login(member_b)
    client.cookies["django_language"] = "en"
    before = _nothing_written()
    response = _post(client, other_party, open_requirement, **change)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _nothing_written() == before


def test_an_attachment_over_10_mb_is_refused(client, other_party, open_requirement, member_b, settings):
    client.force_login(member_b)
    client.cookies["django_language"] = "en"
    big = SimpleUploadedFile("gros.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    response = _post(client, other_party, open_requirement, attachment=big)
    assert "larger than 10 MB" in response.content.decode()
    assert not ProjectReport.objects.filter(requirement=open_requirement).exists()


def test_the_form_says_beside_the_narrative_that_no_young_person_is_named(client, other_party, open_requirement, member_b):
    client.force_login(member_b)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("portal:report", args=[other_party.pk, open_requirement.pk])).content.decode()
    assert "never young people" in page


def test_after_changes_are_requested_the_partner_resubmits_and_the_first_version_is_kept(
    client, party, world, member_a, finance_user
):
    report = world["report_a"]
    report_request_changes(report=report, reviewed_by=finance_user, comment="Précisez les dépenses.")
    client.force_login(member_a)
    page = client.get(reverse("portal:report", args=[party.pk, world["requirement_a"].pk])).content.decode()
    assert "Précisez les dépenses." in page
    response = _post(client, party, world["requirement_a"], versions=1, activities="Nouvelle version")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RESUBMITTED
    versions = list(report.versions.order_by("number").values_list("content__activities", flat=True))
    assert versions == ["Soirées jeux", "Nouvelle version"]


def test_a_draft_is_saved_without_every_field(client, other_party, open_requirement, member_b):
    client.force_login(member_b)
    response = _post(client, other_party, open_requirement, action="save", what_worked="", youth_12_17="")
    assert response.status_code == 302
    report = ProjectReport.objects.get(requirement=open_requirement)
    assert report.status == ReportStatus.DRAFT and report.version_count == 0


def test_a_refused_draft_is_summed_up_at_the_top_with_a_link_to_each_field(client, other_party, open_requirement, member_b):
    client.force_login(member_b)
    response = _post(client, other_party, open_requirement, action="save", youth_12_17="-3", activities_held="beaucoup")
    page = response.content.decode().replace("\xa0", " ")
    summary = page[page.index('class="message message--error error-summary"') : page.index('<form method="post" enctype')]
    assert "Rien n’a été enregistré : 2 champs sont à corriger." in summary
    assert '<a href="#id_youth_12_17">Jeunes rejoints de 12 à 17 ans : Assurez-vous que cette valeur est supérieure ou égale à 0.</a>' in summary
    assert '<a href="#id_activities_held">' in summary
    assert page.count("Assurez-vous que cette valeur est supérieure ou égale à 0.") == 2  # and still beside its field
    client.cookies["django_language"] = "en"
    page = _post(client, other_party, open_requirement, action="save", youth_12_17="-3").content.decode()
    assert "Nothing was saved: one field needs correcting." in page
    assert not ProjectReport.objects.filter(requirement=open_requirement).exists()


def test_the_statement_labels_its_balances_with_the_colon_of_each_language(client, party, world, member_a):
    client.force_login(member_a)
    url = reverse("portal:statement", args=[party.pk]) + "?annee=2025"
    page = client.get(url).content.decode()
    assert "<strong>Solde d’ouverture\xa0:</strong>" in page and "<strong>Solde de clôture\xa0:</strong>" in page
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert "<strong>Opening balance:</strong>" in page and "<strong>Closing balance:</strong>" in page


def test_the_emails_page_names_the_language_as_a_sentence_writes_it_and_the_footer_one_name(client, member_a):
    client.force_login(member_a)
    page = client.get(reverse("portal:notification_preferences")).content.decode()
    assert "rédigés en français\xa0:" in page and "Français" not in page.split("<main")[1]
    assert "Aire ouverte Laurentides · livres du partenariat" in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("portal:notification_preferences")).content.decode()
    assert "written in English:" in page
    assert "Aire ouverte Laurentides · partnership books" in page


def test_staff_see_the_organisations_in_french_alphabetical_order(client, finance_user):
    for name in ("CISSS — Dépendance jeunesse", "Centre de services scolaire", "Cégep de Saint-Jérôme", "Carrefour jeunesse-emploi"):
        Party.objects.create(name=name, kind=PartyKind.OTHER, sector=Sector.SUD)
    client.force_login(finance_user)
    page = client.get(reverse("portal:home")).content.decode()
    found = [page.index(name) for name in ("Carrefour", "Cégep", "Centre de services", "CISSS")]
    assert found == sorted(found)
