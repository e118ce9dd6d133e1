"""The staff dashboard: what finance staff and administrators have to act on, each figure linked to its list."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ledger.models import FiscalPeriod
from portal.access import may_see_dashboard
from portal.dashboard.composition import dashboard_compose


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("annee", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not may_see_dashboard(request.user):
        raise PermissionDenied(_("Only finance staff and administrators see the dashboard."))
    today = timezone.localdate()
    currency = request.GET.get("devise", settings.DEFAULT_CURRENCY)
    if currency not in settings.CURRENCIES:
        currency = settings.DEFAULT_CURRENCY
    board = dashboard_compose(
        user=request.user, start_year=_year(request, FiscalPeriod.year_of(today)), currency=currency, today=today
    )
    return render(request, "portal/dashboard.html", {"board": board, "currencies": settings.CURRENCIES})
