"""Failed logins are throttled with django-axes: per username and address, and per address alone.

The settings (``AXES_*``, ``LOGIN_FAILURE_LIMIT_PER_ADDRESS``, ``TRUSTED_PROXY_COUNT``)
are in ``config.settings.base``; administrators unlock from the admin's
"Access attempts", by deleting the attempts of a locked username or address.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class PairAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler, with a second and higher limit for an address alone.

    Axes compares every count with one limit, ``AXES_FAILURE_LIMIT``: here it
    locks a username from one address (someone guessing one account) while its
    owner still logs in from elsewhere. ``LOGIN_FAILURE_LIMIT_PER_ADDRESS``
    locks an address whatever usernames it tries (someone guessing many).
    """

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_is_over_limit(request)

    def user_login_failed(self, sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        # Axes flags the request (so that its middleware answers with the lock-out
        # page) only when its own limit is reached; the address's limit is ours.
        if request is not None and not request.axes_locked_out and self.address_is_over_limit(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials

    def address_is_over_limit(self, request: HttpRequest) -> bool:
        recent = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        )
        failures = recent.aggregate(total=Sum("failures_since_start"))["total"] or 0
        return failures >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS


def client_address(request: HttpRequest) -> str | None:
    """The address that the outermost of our ``TRUSTED_PROXY_COUNT`` proxies received the request from.

    Each proxy appends the address it received the request from to
    ``X-Forwarded-For`` (nginx: ``$proxy_add_x_forwarded_for``): the last
    ``TRUSTED_PROXY_COUNT`` entries were written by our proxies; those further
    left were written by the client, who may write anything there. A request
    that did not come through them all keeps the address of its connection.
    """
    connection = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count == 0:
        return connection
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return connection
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return connection


def lockout_response(request: HttpRequest, original_response: HttpResponse, credentials: dict | None) -> HttpResponse:
    """Axes' answer to a locked-out login: our page, in the person's language, saying for how long."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
