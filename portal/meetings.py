"""A partner's meetings: its groups' meetings in a fiscal year and its own travel to them.

The organisation comes from :func:`portal.selectors.party_for_user`, as on
every portal page: another organisation's page is a 404. Only the
partner's own attendance and travel are shown.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ledger.dates import date_words
from ledger.errors import DomainError
from ledger.models import FiscalPeriod
from portal import selectors
from sharedcosts.travel.display import km_text
from sharedcosts.travel.selectors import party_travel


@require_GET
@login_required
def meetings(request: HttpRequest, party_id: int) -> HttpResponse:
    party = selectors.party_for_user(request.user, party_id)
    current = FiscalPeriod.year_of(timezone.localdate())
    year = request.GET.get("annee", "")
    year = int(year) if year.isdigit() else current
    if not 2000 <= year <= 2100:
        raise Http404
    period = FiscalPeriod(start_year=year)
    context = {"party": party, "period": period, "years": [current - offset for offset in range(3)]}
    try:
        sections = party_travel(party=party, start=period.start_date, end=period.end_date, currency=settings.DEFAULT_CURRENCY)
    except DomainError as refusal:
        context["error"] = refusal.messages[0]
        return render(request, "portal/meetings.html", context)
    context["groups"] = [
        {
            "name": section.group_name,
            "km": km_text(section.km),
            "cost": section.cost,
            "meetings": [{"row": row, "date": date_words(row.meeting.date), "km": km_text(row.km)} for row in section.meetings],
        }
        for section in sections
    ]
    return render(request, "portal/meetings.html", context)
