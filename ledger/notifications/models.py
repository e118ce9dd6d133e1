"""What the notification system keeps: each message per event and person, who turned which kind off, and languages.

Imported by :mod:`ledger.models`, so these are models of the ledger app.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a person may turn off; each kind groups the events of one subject."""

    REPORT_REMINDER = "report_reminder", _("Reminders of reports due soon or late")
    REPORT_SUBMITTED = "report_submitted", _("Reports submitted for review (finance staff)")
    REPORT_REVIEWED = "report_reviewed", _("Reports accepted or sent back for changes")
    GRANT_CHANGED = "grant_changed", _("Grants approved, amended or cancelled")
    INSTALMENT = "instalment", _("Instalments paid, held or released")
    ALLOCATION_POSTED = "allocation_posted", _("Shares of shared costs posted")


STAFF_KINDS = (NotificationKind.REPORT_SUBMITTED,)
"""Kinds sent to finance staff; the others go to the members of organisations."""


class Notification(models.Model):
    """One email about one event to one person, as written for them; sent at most once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    event_key = models.CharField(_("event"), max_length=200)
    email = models.EmailField(_("address"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event_key", "user"], name="ledger_notification_once_per_event_and_person"),
        ]
        indexes = [
            models.Index(fields=["event_key"], condition=models.Q(sent_at__isnull=True), name="ledger_notification_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.email}"


class NotificationOptOut(models.Model):
    """A kind of notification a person turned off: none of that kind is recorded for them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_opt_outs", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)

    class Meta:
        verbose_name = _("notification turned off")
        verbose_name_plural = _("notifications turned off")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="ledger_notification_opt_out_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"


class ContactLanguage(models.Model):
    """The language a person last chose, for the emails sent to them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_language", verbose_name=_("user")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("contact language")
        verbose_name_plural = _("contact languages")

    def __str__(self) -> str:
        return f"{self.user} · {self.language}"
