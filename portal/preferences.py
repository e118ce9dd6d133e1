"""The portal's page where a person chooses the emails they receive, and in which language."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ledger.notifications.forms import NotificationPreferencesForm
from ledger.notifications.services import contact_language_record, notification_preferences_set


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    form = NotificationPreferencesForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        notification_preferences_set(user=request.user, enabled=form.cleaned_data["kinds"])
        contact_language_record(user=request.user, language=request.LANGUAGE_CODE)
        messages.success(request, _("Your choices of emails are saved."))
        return redirect("portal:notification_preferences")
    return render(request, "portal/notification_preferences.html", {"form": form})
