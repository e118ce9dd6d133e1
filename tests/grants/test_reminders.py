"""Reminders about reports, before they are due and when late, once each, in each member's language."""

from datetime import date

import pytest
from django.core import mail

from grants.models import ReminderSent
from grants.services import report_reminders_send, report_save
from ledger.models import ContactLanguage, Membership
from ledger.notifications.services import contact_language_record

from .conftest import complete

pytestmark = pytest.mark.django_db


def test_reminders_go_before_and_when_late_once_each_in_each_member_s_language(
    requirement, member, django_user_model, party, settings, deliver
):
    english = django_user_model.objects.create_user(username="english", password="x", email="en@example.org")
    Membership.objects.create(user=english, party=party)
    contact_language_record(user=english, language="en")
    settings.REPORT_REMINDER_DAYS_BEFORE = 14

    with deliver():
        assert report_reminders_send(today=date(2025, 7, 31)) == {"before": 0, "late": 0}
        assert report_reminders_send(today=date(2025, 8, 1)) == {"before": 1, "late": 0}
        assert report_reminders_send(today=date(2025, 8, 5)) == {"before": 0, "late": 0}
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"membre@example.org", "en@example.org"}
    assert "août" in by_address["membre@example.org"].subject
    assert "Aug" in by_address["en@example.org"].subject

    mail.outbox.clear()
    with deliver():
        assert report_reminders_send(today=date(2025, 8, 16)) == {"before": 0, "late": 1}
        assert report_reminders_send(today=date(2025, 8, 17)) == {"before": 0, "late": 0}
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.filter(requirement=requirement).count() == 2
    assert ContactLanguage.objects.get(user=english).language == "en"


def test_no_reminder_for_a_submitted_report(requirement, member, deliver):
    report_save(requirement=requirement, user=member, data=complete(), submit=True)
    with deliver():
        assert report_reminders_send(today=date(2025, 8, 16), days_before=14) == {"before": 0, "late": 0}
    assert not mail.outbox


def test_the_members_language_is_written_only_when_it_changes(django_user_model, django_assert_num_queries):
    member = django_user_model.objects.create_user(username="langue", password="x")
    contact_language_record(user=member, language="en")
    with django_assert_num_queries(1):
        contact_language_record(user=member, language="en")
    contact_language_record(user=member, language="fr-ca")
    assert list(ContactLanguage.objects.filter(user=member).values_list("language", flat=True)) == ["fr-ca"]
