"""Recording notifications: each event once per person, in their language, sent after the transaction commits.

An app calls :func:`notify` inside the transaction that makes its events
happen, with :class:`Event` s that say who hears of what and how it reads.
"""

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from config.celery import queue_after_commit
from ledger.errors import NotificationError
from ledger.notifications.models import ContactLanguage, Notification, NotificationKind, NotificationOptOut
from ledger.notifications.selectors import notification_kinds_offered
from ledger.tasks import send_notifications


@dataclass(frozen=True)
class Event:
    """Something that happened, who hears of it, and how it reads.

    ``key`` names the event once and for all (``report:12:accepted``): a
    person is told of it at most once. ``write`` gives the subject and the
    body in the active language; it is called once per language.
    ``path`` is the page the message links to, on the site of ``SITE_URL``.
    """

    kind: NotificationKind
    key: str
    recipients: Collection[int]
    write: Callable[[], tuple[str, str]]
    path: str


def site_link(path: str) -> str:
    """The address of ``path`` on the site, from the settings: a task has no request to ask."""
    return settings.SITE_URL.rstrip("/") + path


def language_of(user: AbstractBaseUser) -> str:
    """The person's last choice of language; French when they never chose."""
    chosen = getattr(user, "contact_language", None)
    return chosen.language if chosen is not None else settings.LANGUAGE_CODE


def _written(event: Event, language: str) -> tuple[str, str]:
    with translation.override(language):
        subject, body = event.write()
        footer = _("To choose which messages you receive: %(link)s") % {
            "link": site_link(reverse("portal:notification_preferences"))
        }
    return subject[:255], f"{body}\n\n{site_link(event.path)}\n\n-- \n{footer}\n"


def notify(*, events: Sequence[Event]) -> int:
    """Record the events' notifications and send them once the current transaction commits; the number recorded.

    Only active people with an address hear of an event, and not those who
    turned its kind off. Each event is written once per language. A second
    call for the same event and person records nothing more.
    """
    user_ids = {user_id for event in events for user_id in event.recipients}
    if not user_ids:
        return 0
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email="")
    people = {user.pk: user for user in users.select_related("contact_language")}
    turned_off = set(
        NotificationOptOut.objects.filter(user_id__in=list(people), kind__in={event.kind for event in events}).values_list(
            "user_id", "kind"
        )
    )
    already = set(
        Notification.objects.filter(event_key__in=[event.key for event in events], user_id__in=list(people)).values_list(
            "event_key", "user_id"
        )
    )
    rows = []
    for event in events:
        texts: dict[str, tuple[str, str]] = {}
        for user_id in sorted(set(event.recipients)):
            user = people.get(user_id)
            if user is None or (user_id, event.kind) in turned_off or (event.key, user_id) in already:
                continue
            language = language_of(user)
            if language not in texts:
                texts[language] = _written(event, language)
            subject, body = texts[language]
            rows.append(
                Notification(
                    user=user, kind=event.kind, event_key=event.key, email=user.email, language=language,
                    subject=subject, body=body,
                )
            )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    keys = sorted({row.event_key for row in rows})
    if keys:
        queue_after_commit(send_notifications, keys)
    return len(rows)


def contact_language_record(*, user: AbstractBaseUser, language: str) -> None:
    """Remember the language a person reads the product in, for the emails sent to them.

    Called on every visit of an organisation's home: it reads, and writes
    only when the language changed.
    """
    if not user.is_authenticated or language not in dict(settings.LANGUAGES):
        return
    known = ContactLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    if known == language:
        return
    if known is None:
        ContactLanguage.objects.bulk_create([ContactLanguage(user=user, language=language)], ignore_conflicts=True)
    else:
        ContactLanguage.objects.filter(user=user).update(language=language)


def notification_preferences_set(*, user: AbstractBaseUser, enabled: Collection[str]) -> list[str]:
    """Keep the kinds offered to the person that they want; turn the others off. The kinds turned off.

    A kind not offered to the person (or unknown) is refused, nothing written.
    """
    offered = notification_kinds_offered(user=user)
    unknown = set(enabled) - set(offered)
    if unknown:
        raise NotificationError(
            _("These emails are not offered to you: %(kinds)s."),
            code="kind_not_offered",
            params={"kinds": ", ".join(sorted(unknown))},
        )
    off = [kind for kind in offered if kind not in enabled]
    with transaction.atomic():
        NotificationOptOut.objects.filter(user=user, kind__in=offered).exclude(kind__in=off).delete()
        NotificationOptOut.objects.bulk_create(
            [NotificationOptOut(user=user, kind=kind) for kind in off], ignore_conflicts=True
        )
    return off
