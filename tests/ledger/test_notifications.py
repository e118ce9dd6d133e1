"""The notification machinery: one message per event and person, in their language, sent after commit, once."""

import email
import email.policy
import smtplib
import socket
from contextlib import closing

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from ledger.errors import NotificationError
from ledger.models import ContactLanguage, Membership, Notification, NotificationKind, NotificationOptOut
from ledger.notifications.delivery import notifications_send
from ledger.notifications.selectors import finance_staff, notification_kinds_offered, party_finance_contacts
from ledger.notifications.services import Event, notification_preferences_set, notify
from ledger.tasks import send_notifications
from tests.mail import FirstMessageRefusedBackend

pytestmark = pytest.mark.django_db


def _greeting() -> tuple[str, str]:
    from django.utils.translation import gettext as _

    return _("Grant approved: “%(title)s”") % {"title": "Soirées"}, _("Why: %(reason)s") % {"reason": "test"}


def event(*user_ids: int, key: str = "test:1", kind: str = NotificationKind.GRANT_CHANGED) -> Event:
    return Event(kind=kind, key=key, recipients=user_ids, write=_greeting, path="/portail/7/")


@pytest.fixture
def people(django_user_model):
    french = django_user_model.objects.create_user(username="fr", password="x", email="fr@example.org")
    english = django_user_model.objects.create_user(username="en", password="x", email="en@example.org")
    ContactLanguage.objects.create(user=english, language="en")
    return french, english


def test_each_person_is_told_once_in_their_language_with_a_link_to_the_site(people, deliver):
    french, english = people
    with deliver():
        assert notify(events=[event(french.pk, english.pk)]) == 2
        assert notify(events=[event(french.pk, english.pk)]) == 0  # the same event again: nothing more recorded
    by_address = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 2
    assert by_address["fr@example.org"].subject == "Subvention approuvée\u00a0: «\u00a0Soirées\u00a0»"
    assert by_address["en@example.org"].subject == "Grant approved: “Soirées”"
    assert "https://partenariat.example.org/portail/7/" in by_address["en@example.org"].body
    preferences = "https://partenariat.example.org" + reverse("portal:notification_preferences")
    assert preferences in by_address["fr@example.org"].body
    assert Notification.objects.filter(sent_at__isnull=False).count() == 2


def test_nobody_without_an_address_or_inactive_is_told(people, django_user_model, deliver):
    french, _english = people
    silent = django_user_model.objects.create_user(username="silent", password="x")
    gone = django_user_model.objects.create_user(username="gone", password="x", email="gone@example.org", is_active=False)
    with deliver():
        assert notify(events=[event(french.pk, silent.pk, gone.pk)]) == 1
    assert [message.to for message in mail.outbox] == [["fr@example.org"]]


def test_a_kind_turned_off_is_not_recorded_as_sent(people, deliver):
    french, english = people
    NotificationOptOut.objects.create(user=english, kind=NotificationKind.GRANT_CHANGED)
    with deliver():
        assert notify(events=[event(french.pk, english.pk)]) == 1
        assert notify(events=[event(english.pk, key="test:2", kind=NotificationKind.INSTALMENT)]) == 1
    assert sorted((n.user_id, n.kind) for n in Notification.objects.all()) == [
        (french.pk, "grant_changed"),
        (english.pk, "instalment"),
    ]
    assert len(mail.outbox) == 2


def test_nothing_is_recorded_or_sent_when_the_transaction_rolls_back(people, deliver):
    french, english = people
    with deliver(), pytest.raises(RuntimeError), transaction.atomic():
        notify(events=[event(french.pk, english.pk)])
        raise RuntimeError("the event's own transaction fails")
    assert not Notification.objects.exists()
    assert not mail.outbox


def test_a_message_is_sent_only_once_the_transaction_commits(people, django_capture_on_commit_callbacks):
    french, _english = people
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(events=[event(french.pk)])
    assert len(callbacks) == 1
    assert not mail.outbox


def test_a_retried_task_sends_what_is_left_and_nothing_twice(people, settings, deliver):
    french, english = people
    settings.EMAIL_BACKEND = "tests.mail.FirstMessageRefusedBackend"
    FirstMessageRefusedBackend.refused = 0
    with deliver():
        notify(events=[event(french.pk), event(english.pk, key="test:2")])
    assert FirstMessageRefusedBackend.refused == 1
    assert sorted(message.to[0] for message in mail.outbox) == ["en@example.org", "fr@example.org"]
    assert send_notifications.run(["test:1", "test:2"]) == 0


def test_a_mail_server_error_stops_the_sending_and_keeps_what_was_sent(people, settings, monkeypatch):
    french, english = people
    notify(events=[event(french.pk, english.pk)])
    sent = []

    def send_then_fail(self):
        if sent:
            raise smtplib.SMTPServerDisconnected("gone")
        sent.append(self.to)
        return 1

    monkeypatch.setattr("django.core.mail.EmailMessage.send", send_then_fail)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        notifications_send(event_keys=["test:1"])
    assert list(Notification.objects.filter(sent_at__isnull=False).values_list("email", flat=True)) == [
        "fr@example.org"
    ]
    monkeypatch.undo()
    assert notifications_send(event_keys=["test:1"]) == 1
    assert [message.to for message in mail.outbox] == [["en@example.org"]]


def test_the_task_retries_on_mail_server_errors():
    assert OSError in send_notifications.autoretry_for  # smtplib's errors are OSErrors
    assert send_notifications.acks_late and send_notifications.reject_on_worker_lost


def test_finance_contacts_are_the_partner_finance_members_or_all_members(party, other_party, people):
    french, english = people
    Membership.objects.create(user=french, party=party, role="finance")
    Membership.objects.create(user=english, party=party)
    Membership.objects.create(user=english, party=other_party)
    assert party_finance_contacts(party_ids=[party.pk, other_party.pk]) == {
        party.pk: [french.pk],
        other_party.pk: [english.pk],
    }


def test_finance_staff_are_the_finance_group_only(finance_user, administrator):
    assert finance_staff() == [finance_user.pk]


def test_preferences_offer_what_concerns_the_person_and_refuse_the_rest(party, people, finance_user):
    french, _english = people
    assert notification_kinds_offered(user=french) == []
    Membership.objects.create(user=french, party=party)
    assert "report_submitted" not in notification_kinds_offered(user=french)
    assert notification_kinds_offered(user=finance_user) == ["report_submitted"]
    assert notification_preferences_set(user=french, enabled=["instalment"]) == [
        "report_reminder", "report_reviewed", "grant_changed", "allocation_posted",
    ]
    with pytest.raises(NotificationError) as refused:
        notification_preferences_set(user=french, enabled=["report_submitted"])
    assert refused.value.code == "kind_not_offered" and refused.value.params == {"kinds": "report_submitted"}
    assert set(NotificationOptOut.objects.filter(user=french).values_list("kind", flat=True)) == {
        "report_reminder", "report_reviewed", "grant_changed", "allocation_posted",
    }
    notification_preferences_set(user=french, enabled=["instalment", "grant_changed", "report_reminder"])
    assert set(NotificationOptOut.objects.filter(user=french).values_list("kind", flat=True)) == {
        "report_reviewed", "allocation_posted",
    }


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_real_smtp_server_on_loopback_receives_the_message_with_its_link(people, settings, deliver):
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self) -> None:
            self.envelopes = []

        async def handle_DATA(self, server, session, envelope) -> str:
            self.envelopes.append(envelope)
            return "250 Message accepted for delivery"

    inbox = Inbox()
    port = _free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        _french, english = people
        with deliver():
            notify(events=[event(english.pk)])
    finally:
        server.stop()
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["en@example.org"]
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert message["Subject"] == "Grant approved: “Soirées”"
    assert "https://partenariat.example.org/portail/7/" in message.get_content()
    assert Notification.objects.get().sent_at is not None
