"""Why an instalment is held, kept as a code and written in the reader's language when shown."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.utils import translation

from grants.holds import HoldReason, hold_words
from grants.models import HoldCode, Instalment, InstalmentStatus, ReportKind, ReportRequirement
from grants.services import disbursements_post_due, instalments_hold

from .conftest import RUN_DAY

pytestmark = pytest.mark.django_db

hold_codes_migration = importlib.import_module("grants.migrations.0008_instalment_hold_codes")
history_params_migration = importlib.import_module("grants.migrations.0010_instalment_history_keeps_hold_params")


def held_for_a_report_due(grant, due: date) -> Instalment:
    ReportRequirement.objects.create(grant=grant, kind=ReportKind.INTERIM, due_date=due)
    disbursements_post_due(today=RUN_DAY)
    return grant.instalments.get(status=InstalmentStatus.HELD)


def test_an_overdue_report_s_hold_is_written_in_the_reader_s_language_with_its_date_in_words(make_grant):
    held = held_for_a_report_due(make_grant(), date(2025, 4, 1))
    with translation.override("en"):
        assert hold_words(held) == (
            "The interim report due on April 1, 2025 has not been accepted yet; accepting it releases this payment."
        )
    with translation.override("fr-ca"):
        assert hold_words(held) == (
            "Le rapport d’étape attendu le 1er avril 2025 n’a pas encore été accepté; "
            "son acceptation libère ce versement."
        )


def test_the_staff_s_words_and_a_sentence_written_before_codes_are_shown_as_kept(make_grant):
    grant = make_grant()
    instalments_hold(grant=grant, reason=HoldReason.staff("Vérification des pièces"))
    first = grant.instalments.get(sequence=1)
    assert (first.hold_code, first.hold_params) == (HoldCode.STAFF, {})
    Instalment.objects.filter(pk=first.pk).update(hold_code="", hold_reason="Le rapport attendu le 2025-05-15")
    first.refresh_from_db()
    with translation.override("en"):
        assert [hold_words(item) for item in grant.instalments.order_by("sequence")] == [
            "Le rapport attendu le 2025-05-15",
            "Vérification des pièces",
            "Vérification des pièces",
        ]


def test_the_migration_codes_a_sentence_naming_the_due_date_of_one_of_the_grant_s_reports(make_grant):
    grant = make_grant()
    held = held_for_a_report_due(grant, date(2025, 5, 15))
    requirement = ReportRequirement.objects.get(grant=grant)
    sentence = "Le rapport d’étape attendu le 2025-05-15 n’a pas encore été accepté"
    Instalment.objects.filter(pk=held.pk).update(hold_code="", hold_params={}, hold_reason=sentence)
    staff = grant.instalments.get(sequence=2)
    Instalment.objects.filter(pk=staff.pk).update(status=InstalmentStatus.HELD, hold_reason="Attendu le 2024-01-01")

    hold_codes_migration.overdue_report_holds_coded(apps, None)

    held.refresh_from_db()
    staff.refresh_from_db()
    assert (held.hold_code, held.hold_params, held.hold_reason) == (
        HoldCode.OVERDUE_REPORT, {"report": requirement.pk, "kind": "interim", "due_date": "2025-05-15"}, sentence
    )
    assert (staff.hold_code, staff.hold_params, staff.hold_reason) == ("", {}, "Attendu le 2024-01-01")


def test_the_history_migration_codes_a_version_s_sentence_as_0008_coded_the_instalments(make_grant):
    grant = make_grant()
    held = held_for_a_report_due(grant, date(2025, 5, 15))
    requirement = ReportRequirement.objects.get(grant=grant)
    sentence = "Le rapport d’étape attendu le 2025-05-15 n’a pas encore été accepté"
    versions = Instalment.history.filter(id=held.pk, status=InstalmentStatus.HELD)
    versions.update(hold_code="", hold_params={}, hold_reason=sentence)

    history_params_migration.overdue_report_versions_coded(apps, None)

    version = versions.get()
    assert (version.hold_code, version.hold_params, version.hold_reason) == (
        HoldCode.OVERDUE_REPORT, {"report": requirement.pk, "kind": "interim", "due_date": "2025-05-15"}, sentence
    )
    with translation.override("en"):
        assert hold_words(version.instance) == (
            "The interim report due on May 15, 2025 has not been accepted yet; accepting it releases this payment."
        )


@pytest.mark.parametrize(
    ("language", "words"), [("fr-ca", "Un rapport exigé est en retard"), ("en", "A required report is overdue")]
)
def test_a_version_that_kept_the_code_alone_reads_as_the_code_s_label(make_grant, language, words):
    held = held_for_a_report_due(make_grant(), date(2025, 5, 15))
    version = Instalment.history.get(id=held.pk, status=InstalmentStatus.HELD)
    version.hold_params = {}
    with translation.override(language):
        assert hold_words(version.instance) == words
