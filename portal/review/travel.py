"""The review's travel page: for each meeting group, its rotation over the fiscal year.

Administrators only, as the rest of the review; nothing here writes.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ledger.errors import DomainError
from ledger.models import FiscalPeriod
from portal.review.views import _check_year, administrators_only
from sharedcosts.travel.display import rotation_context
from sharedcosts.travel.models import MeetingGroup
from sharedcosts.travel.rotation import group_rotation


@require_GET
@administrators_only
def review_travel(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    period = FiscalPeriod(start_year=year)
    groups = MeetingGroup.objects.filter(meetings__date__gte=period.start_date, meetings__date__lte=period.end_date).distinct()
    sections = []
    for group in groups.order_by("name"):
        try:
            rotation = group_rotation(group=group, start=period.start_date, end=period.end_date)
        except DomainError as refusal:
            sections.append({"group": group, "error": refusal.messages[0]})
            continue
        sections.append({"group": group, "travel": rotation_context(rotation, uid=f"travel-{group.pk}")})
    context = {"year": year, "period": str(period), "sections": sections, "years": [year - 1, year, year + 1]}
    return render(request, "portal/review/travel.html", context)
