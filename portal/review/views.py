"""The fairness review for administrators: the page brought to the review meeting.

Staff pages: an anonymous visitor is sent to log in; anyone logged in who is
not an administrator (finance staff, partner members) is refused with 403.
Nothing here writes: the what-if only computes.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ledger.errors import DomainError
from ledger.models import FiscalPeriod
from portal.access import may_see_review
from portal.review.composition import ReviewError, fairness_review, review_what_if, review_years
from portal.review.exports import review_pdf_bytes, review_xlsx_bytes
from portal.review.formats import money, ratio
from portal.review.tables import fold_css, pool_table, review_tables
from sharedcosts.forms import WhatIfForm
from sharedcosts.models import CostPool, Participation


def administrators_only(view: Callable) -> Callable:
    @wraps(view)
    @login_required
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_see_review(request.user):
            raise PermissionDenied(_("Only administrators see the fairness review."))
        return view(request, *args, **kwargs)

    return guarded


def _check_year(year: int, year_again: int | None = None) -> None:
    if not 2000 <= year <= 2999 or (year_again is not None and year_again != year + 1):
        raise Http404(_("There is no such fiscal year."))


@require_GET
@administrators_only
def review_index(request: HttpRequest) -> HttpResponse:
    years = review_years()
    if years:
        current = FiscalPeriod.year_of(timezone.localdate())
        return redirect("review:year", year=current if current in years else years[0])
    return render(
        request,
        "portal/review/review.html",
        {"error": _("No cost pool has been recorded yet: there is nothing to review."), "years": []},
    )


def _what_if_forms(request: HttpRequest, year: int, pools: list[CostPool]) -> tuple[dict[int, WhatIfForm], dict]:
    """A what-if form for each pool, the one asked in the query string bound and computed."""
    parties: dict[int, list] = {pool.pk: [] for pool in pools}
    for participation in Participation.objects.filter(pool__in=pools).select_related("party").order_by("party__name"):
        parties[participation.pool_id].append(participation.party)
    forms = {pool.pk: WhatIfForm(pool=pool, parties=parties[pool.pk]) for pool in pools}
    pool_id = request.GET.get("pool", "")
    if not pool_id.isdigit():
        return forms, {}
    pool = get_object_or_404(CostPool, pk=int(pool_id))
    if FiscalPeriod.year_of(pool.start_date) != year:
        raise Http404(_("This pool does not start in this fiscal year."))
    form = forms[pool.pk] = WhatIfForm(request.GET, pool=pool, parties=parties.get(pool.pk, []))
    context: dict = {"what_if_pool": pool.pk}
    if not form.is_valid():
        refusals = form.non_field_errors()
        context["what_if_error"] = refusals[0] if refusals else _("Correct the parameters below.")
        return forms, context
    try:
        result = review_what_if(pool=pool, rule=form.cleaned_data["rule"], params=form.cleaned_data["params"])
    except DomainError as refusal:
        context["what_if_error"] = refusal.messages[0]
        return forms, context
    context["what_if"] = result
    context["what_if_rows"] = [
        {
            "name": line.party.name,
            "current": money(line.current.cost),
            "current_ratio": ratio(line.current.effort_ratio),
            "new": money(line.proposed.cost),
            "new_ratio": ratio(line.proposed.effort_ratio),
            "difference": money(line.difference),
            "direction": "up" if line.difference.amount > 0 else "down" if line.difference.amount < 0 else "",
            "flagged": line.proposed.flagged,
            "flags": " ".join(flag.message for flag in line.proposed.flags),
        }
        for line in result.lines
    ]
    context["what_if_table"] = pool_table(result.proposed)
    return forms, context


@require_GET
@administrators_only
def review_page(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    years = review_years()
    context: dict = {"year": year, "period": str(FiscalPeriod(start_year=year)), "years": years}
    try:
        review = fairness_review(start_year=year)
    except ReviewError as refusal:
        context["error"] = refusal.messages[0]
        return render(request, "portal/review/review.html", context, status=404)
    what_if_forms, what_if = _what_if_forms(request, year, [pool_review.pool for pool_review in review.pools])
    context.update(what_if)
    tables = review_tables(review)
    # One pool's detail at a time (its charts, table and what-if): with 50 pools
    # of 500 parties, all of them would make a page of megabytes.
    opened = request.GET.get("regroupement") or request.GET.get("pool", "")
    pools = [
        {
            "review": pool_review,
            "table": table,
            "what_if_form": what_if_forms[pool_review.pool.pk],
            "flagged": sum(1 for row in table.rows if row.flagged),
            "opened": str(pool_review.pool.pk) == opened,
        }
        for pool_review, table in zip(review.pools, tables["pools"], strict=True)
    ]
    flagged = sum(1 for table in tables["overall"] for row in table.rows if row.flagged)
    context.update(
        review=review,
        tables=tables,
        pools=pools,
        flagged=flagged,
        fold_css=fold_css(),
    )
    return render(request, "portal/review/review.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _review_or_404(year: int):
    try:
        return fairness_review(start_year=year)
    except ReviewError as refusal:
        raise Http404(refusal.messages[0]) from refusal


@require_GET
@administrators_only
def review_xlsx(request: HttpRequest, year: int, year_again: int) -> HttpResponse:
    _check_year(year, year_again)
    content = review_xlsx_bytes(_review_or_404(year))
    return _download(
        content,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"revue-{year}-{year + 1}.xlsx",
    )


@require_GET
@administrators_only
def review_pdf(request: HttpRequest, year: int, year_again: int) -> HttpResponse:
    _check_year(year, year_again)
    return _download(review_pdf_bytes(_review_or_404(year)), "application/pdf", f"revue-{year}-{year + 1}.pdf")
