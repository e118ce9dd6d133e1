"""The back office's view of the notifications: the last messages sent, and a person's own choices."""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from ledger.notifications.forms import NotificationPreferencesForm
from ledger.notifications.models import Notification
from ledger.notifications.services import contact_language_record, notification_preferences_set


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read only: a message is written by the services and sent by the task, never edited."""

    list_display = ["subject", "email", "kind", "language", "created_at", "sent_at"]
    list_filter = ["kind", "language", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "subject", "event_key"]
    date_hierarchy = "created_at"
    readonly_fields = ["user", "kind", "email", "language", "subject", "body", "created_at", "sent_at"]
    # The event's key keeps a message from being recorded twice: the code's, not a reader's.
    exclude = ["event_key"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    def get_urls(self):
        return [
            path(
                "preferences/",
                self.admin_site.admin_view(self.preferences_view),
                name="ledger_notification_preferences",
            ),
            *super().get_urls(),
        ]

    def preferences_view(self, request: HttpRequest) -> HttpResponse:
        """The person's own choices of the emails they receive; staff reach it from the notifications' list."""
        form = NotificationPreferencesForm(request.POST if request.method == "POST" else None, user=request.user)
        if request.method == "POST" and form.is_valid():
            notification_preferences_set(user=request.user, enabled=form.cleaned_data["kinds"])
            contact_language_record(user=request.user, language=request.LANGUAGE_CODE)
            messages.success(request, _("Your choices of emails are saved."))
            return HttpResponseRedirect(reverse("admin:ledger_notification_preferences"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("The emails I receive"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/ledger/notification/preferences.html", context)
