"""Project reports: requirements, versions, review, holds and attachments."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grants.errors import ReportError
from grants.models import (
    InstalmentStatus,
    ProjectReport,
    ProjectReportVersion,
    ReportContent,
    ReportKind,
    ReportRequirement,
    ReportStatus,
)
from grants.services import (
    attachment_check,
    disbursements_post_due,
    report_accept,
    report_request_changes,
    report_save,
    reports_overdue,
    requirements_generate,
)
from ledger.models import Membership

from .conftest import complete

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def outsider(django_user_model, other_party):
    user = django_user_model.objects.create_user(username="autre", password="x", email="autre@example.org")
    Membership.objects.create(user=user, party=other_party)
    return user


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
    assert held.hold_params["due_date"] == "2025-08-15"
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


def test_only_overdue_unaccepted_reports_give_a_reason_to_hold(grant, requirement):
    assert reports_overdue(grants=[grant], today=date(2025, 8, 15)) == {}
    assert set(reports_overdue(grants=[grant], today=date(2025, 8, 16))) == {grant.pk}
    assert reports_overdue(grants=[grant], today=date(2025, 8, 16))[grant.pk].code == "overdue_report"


def test_requesting_changes_needs_a_comment(requirement, member, finance_user):
    report = report_save(requirement=requirement, user=member, data=complete(), submit=True)
    with pytest.raises(ReportError) as refusal:
        report_request_changes(report=report, reviewed_by=finance_user, comment="  ")
    assert refusal.value.code == "comment_required"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED