"""Project reports: requirements, versions, review, holds, attachments and reminders."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from grants.holds import hold_reasons
from grants.models import (
    ContactLanguage,
    InstalmentStatus,
    ProjectReport,
    ProjectReportVersion,
    ReminderSent,
    ReportContent,
    ReportKind,
    ReportRequirement,
    ReportStatus,
)
from grants.reports import (
    ReportData,
    ReportError,
    attachment_check,
    contact_language_record,
    overdue_reports,
    report_accept,
    report_reminders_send,
    report_request_changes,
    report_save,
    requirements_generate,
)
from grants.services import disbursements_post_due
from ledger.models import Membership

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def member(django_user_model, party):
    user = django_user_model.objects.create_user(username="membre", password="x", email="membre@example.org")
    Membership.objects.create(user=user, party=party)
    return user


@pytest.fixture
def outsider(django_user_model, other_party):
    user = django_user_model.objects.create_user(username="autre", password="x", email="autre@example.org")
    Membership.objects.create(user=user, party=other_party)
    return user


@pytest.fixture
def grant(make_grant):
    return make_grant(dates=[date(2025, 5, 1), date(2025, 9, 1), date(2026, 1, 15)])


@pytest.fixture
def requirement(grant):
    return ReportRequirement.objects.create(
        grant=grant, kind=ReportKind.INTERIM, content=ReportContent.BOTH, due_date=date(2025, 8, 15)
    )


def complete(**changes) -> ReportData:
    data = ReportData(
        activities="Six soirées", what_worked="Le transport", what_did_not="Le dimanche",
        partners_involved="Ville", youth_12_17=30, youth_18_25=20, activities_held=6, municipalities_reached=2,
        spending={"activities": Decimal("2500.00")},
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def test_requirements_are_generated_from_the_grant_s_period_once(grant):
    first = requirements_generate(grant=grant)
    again = requirements_generate(grant=grant)
    assert [(r.kind, r.due_date) for r in first] == [
        (ReportKind.INTERIM, date(2025, 9, 30)),
        (ReportKind.FINAL, date(2026, 4, 30)),
    ]
    assert [r.pk for r in again] == [r.pk for r in first]


def test_each_submission_is_a_kept_version_and_nothing_submitted_is_overwritten(requirement, member, finance_user):
    report = report_save(requirement=requirement, user=member, data=complete(), submit=True, expected_versions=0)
    assert report.status == ReportStatus.SUBMITTED and report.version_count == 1
    with pytest.raises(ReportError) as refusal:
        report_save(requirement=requirement, user=member, data=complete(activities="autre"))
    assert refusal.value.code == "not_editable"
    report_request_changes(report=report, reviewed_by=finance_user, comment="Précisez.")
    report = report_save(
        requirement=requirement, user=member, data=complete(activities="Deuxième"), submit=True, expected_versions=1
    )
    assert report.status == ReportStatus.RESUBMITTED
    contents = list(ProjectReportVersion.objects.filter(report=report).order_by("number").values_list("content", flat=True))
    assert [c["activities"] for c in contents] == ["Six soirées", "Deuxième"]
    assert contents[0]["spending"] == {"activities": "2500.00"}


def test_a_double_submit_makes_one_version(requirement, member):
    report_save(requirement=requirement, user=member, data=complete(), submit=True, expected_versions=0)
    with pytest.raises(ReportError) as refusal:
        report_save(requirement=requirement, user=member, data=complete(), submit=True, expected_versions=0)
    assert refusal.value.code == "already_submitted"
    assert ProjectReportVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (complete(youth_12_17=-1), "indicator_negative"),
        (complete(activities_held="3"), "indicator_type"),
        (complete(spending={"travel": Decimal("10.00")}), "unknown_line"),
        (complete(spending={"activities": Decimal("-1")}), "spending_negative"),
        (complete(spending={"activities": Decimal("1.001")}), "spending_cents"),
    ],
)
def test_bad_data_is_refused_and_nothing_is_written(requirement, member, data, code):
    with pytest.raises(ReportError) as refusal:
        report_save(requirement=requirement, user=member, data=data, submit=True)
    assert refusal.value.code == code
    assert not ProjectReport.objects.exists()


def test_an_incomplete_report_cannot_be_submitted(requirement, member):
    with pytest.raises(ReportError) as refusal:
        report_save(requirement=requirement, user=member, data=complete(what_worked=" "), submit=True)
    assert refusal.value.code == "incomplete"
    assert not ProjectReport.objects.exists()


def test_a_member_of_another_organisation_cannot_write_the_report(requirement, outsider):
    with pytest.raises(ReportError) as refusal:
        report_save(requirement=requirement, user=outsider, data=complete(), submit=True)
    assert refusal.value.code == "not_found"
    assert not ProjectReport.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("bilan.pdf", PDF, True),
        ("photo.png", PNG, True),
        ("depenses.csv", "ligne;montant\nactivités;12,50\n".encode(), True),
        ("programme.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100, False),
        ("programme.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100, False),
        ("script.sh", b"#!/bin/sh\nrm -rf /\n", False),
        ("bilan.png", PDF, False),
        ("vide.pdf", b"", False),
    ],
)
def test_attachments_are_checked_by_content(name, content, accepted):
    upload = SimpleUploadedFile(name, content)
    if accepted:
        assert attachment_check(upload)
    else:
        with pytest.raises(ReportError):
            attachment_check(upload)


def test_an_attachment_over_10_mb_is_refused():
    with pytest.raises(ReportError) as refusal:
        attachment_check(SimpleUploadedFile("gros.pdf", PDF + b"0" * (10 * 1024 * 1024)))
    assert refusal.value.code == "attachment_too_big"


def test_attachments_join_the_version_they_were_submitted_with(requirement, member):
    report = report_save(
        requirement=requirement, user=member, data=complete(),
        uploads=[SimpleUploadedFile("bilan.pdf", PDF)], submit=True,
    )
    attachment = report.attachments.get()
    assert attachment.version.number == 1 and attachment.content_type == "application/pdf"
    assert attachment.file.read() == PDF


def test_an_overdue_report_holds_the_instalments_and_accepting_it_releases_them(
    grant, requirement, member, finance_user
):
    disbursements_post_due(today=date(2025, 5, 1))
    run = disbursements_post_due(today=date(2025, 9, 2))
    assert run.held == 1
    held = grant.instalments.get(status=InstalmentStatus.HELD)
    assert "2025-08-15" in held.hold_reason
    report = report_save(requirement=requirement, user=member, data=complete(), submit=True)
    with pytest.raises(ReportError):
        report_accept(report=report, reviewed_by=member, today=date(2025, 9, 3))
    assert report_accept(report=report, reviewed_by=finance_user, today=date(2025, 9, 3)) == 1
    held.refresh_from_db()
    assert held.status == InstalmentStatus.SCHEDULED
    assert disbursements_post_due(today=date(2025, 9, 3)).paid == 1
    with pytest.raises(ReportError) as refusal:
        report_accept(report=report, reviewed_by=finance_user)
    assert refusal.value.code == "not_under_review"


def test_accepting_one_report_leaves_the_hold_while_another_is_overdue(grant, requirement, member, finance_user):
    ReportRequirement.objects.create(grant=grant, kind=ReportKind.FINAL, content=ReportContent.NARRATIVE,
                                     due_date=date(2025, 8, 20))
    disbursements_post_due(today=date(2025, 9, 2))
    report = report_save(requirement=requirement, user=member, data=complete(), submit=True)
    assert report_accept(report=report, reviewed_by=finance_user, today=date(2025, 9, 3)) == 0
    assert grant.instalments.filter(status=InstalmentStatus.HELD).exists()


def test_the_hold_provider_is_registered_and_names_only_overdue_unaccepted_reports(grant, requirement):
    assert overdue_reports([grant], date(2025, 8, 15)) == {}
    assert set(overdue_reports([grant], date(2025, 8, 16))) == {grant.pk}
    assert hold_reasons(grants=[grant], today=date(2025, 8, 16))[grant.pk].code == "overdue_report"


def test_requesting_changes_needs_a_comment(requirement, member, finance_user):
    report = report_save(requirement=requirement, user=member, data=complete(), submit=True)
    with pytest.raises(ReportError) as refusal:
        report_request_changes(report=report, reviewed_by=finance_user, comment="  ")
    assert refusal.value.code == "comment_required"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_reminders_go_before_and_when_late_once_each_in_each_member_s_language(
    requirement, member, django_user_model, party, settings
):
    english = django_user_model.objects.create_user(username="english", password="x", email="en@example.org")
    Membership.objects.create(user=english, party=party)
    contact_language_record(user=english, language="en")
    settings.REPORT_REMINDER_DAYS_BEFORE = 14

    assert report_reminders_send(today=date(2025, 7, 31)) == {"before": 0, "late": 0}
    assert report_reminders_send(today=date(2025, 8, 1)) == {"before": 1, "late": 0}
    assert report_reminders_send(today=date(2025, 8, 5)) == {"before": 0, "late": 0}
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"membre@example.org", "en@example.org"}
    assert "août" in by_address["membre@example.org"].subject
    assert "Aug" in by_address["en@example.org"].subject

    mail.outbox.clear()
    assert report_reminders_send(today=date(2025, 8, 16)) == {"before": 0, "late": 1}
    assert report_reminders_send(today=date(2025, 8, 17)) == {"before": 0, "late": 0}
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.filter(requirement=requirement).count() == 2
    assert ContactLanguage.objects.get(user=english).language == "en"


def test_no_reminder_for_a_submitted_report(requirement, member):
    report_save(requirement=requirement, user=member, data=complete(), submit=True)
    assert report_reminders_send(today=date(2025, 8, 16), days_before=14) == {"before": 0, "late": 0}
    assert not mail.outbox


def test_the_reminders_task_wraps_the_service(requirement, member):
    from grants.tasks import send_report_reminders

    assert send_report_reminders("2025-08-16") == {"before": 0, "late": 1}


def test_the_demo_has_reports_in_each_state_and_one_held_instalment():
    from django.core.management import call_command

    from grants.models import Instalment

    call_command("seed_demo")
    call_command("seed_demo")
    states = set(ProjectReport.objects.values_list("status", flat=True))
    assert states == {"draft", "submitted", "changes_requested", "resubmitted", "accepted"}
    assert ReportRequirement.objects.filter(report__isnull=True).exists()  # the overdue one, not started
    held = Instalment.objects.get(status=InstalmentStatus.HELD)
    assert held.grant.party.memberships.exists()  # a demo partner user can see it
    assert ProjectReportVersion.objects.filter(report__status="resubmitted", number=2).exists()


def test_the_members_language_is_written_only_when_it_changes(django_user_model, django_assert_num_queries):
    from grants.models import ContactLanguage

    member = django_user_model.objects.create_user(username="langue", password="x")
    contact_language_record(user=member, language="en")
    with django_assert_num_queries(1):
        contact_language_record(user=member, language="en")
    contact_language_record(user=member, language="fr-ca")
    assert list(ContactLanguage.objects.filter(user=member).values_list("language", flat=True)) == ["fr-ca"]
