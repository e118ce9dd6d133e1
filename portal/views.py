"""The partners' portal: thin views over the selectors and the report services.

Every view takes the organisation from :func:`portal.selectors.party_for_user`
and every object from a queryset filtered by that organisation: anything else
is a 404.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from moneyed import Money

from grants.errors import ReportError
from grants.models import ProjectReportVersion, ReportStatus
from grants.services import report_save
from ledger.models import FiscalPeriod, Membership, TransactionKind
from ledger.money import money_format
from ledger.notifications.services import contact_language_record
from ledger.selectors import party_statement
from portal import selectors
from portal.forms import PRIVACY_NOTE, SAVE, SUBMIT, ReportForm
from portal.statement_pdf import statement_pdf
from portal.statement_words import statement_in_words
from spreadsheets.writing import csv_bytes


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Choose an organisation; a member of only one goes straight to it."""
    parties = list(selectors.parties_for_user(request.user).order_by("name"))
    if len(parties) == 1 and not selectors.is_staff_viewer(request.user):
        return redirect("portal:party", party_id=parties[0].pk)
    # A member's few organisations each with its position across its pools; staff see every party, by name only.
    positions = {} if selectors.is_staff_viewer(request.user) else {
        party.pk: selectors.pools_position(selectors.pool_rows(party)) for party in parties
    }
    choices = [{"party": party, "position": positions.get(party.pk)} for party in parties]
    return render(request, "portal/choose.html", {"parties": parties, "choices": choices})


@login_required
def party_home(request: HttpRequest, party_id: int) -> HttpResponse:
    party = selectors.party_for_user(request.user, party_id)
    today = timezone.localdate()
    contact_language_record(user=request.user, language=request.LANGUAGE_CODE)
    requirements = list(selectors.requirements_of(party))
    reports = [
        {"requirement": requirement, "state": selectors.report_state(requirement, today)} for requirement in requirements
    ]
    current_year = FiscalPeriod.year_of(today)
    pools = selectors.pool_rows(party)
    context = {
        "party": party,
        "today": today,
        "grants": selectors.grant_rows(party),
        "next_instalments": selectors.next_instalments(party),
        "held": selectors.held_instalments(party, requirements, today),
        "reports_open": [r for r in reports if r["state"] in ("late", "due", "changes_requested")],
        "reports_done": [r for r in reports if r["state"] in ("submitted", "accepted")],
        "pools": pools,
        "pools_position": selectors.pools_position(pools),
        "years": [current_year - offset for offset in range(3)],
        "members": Membership.objects.filter(party=party).select_related("user").order_by("user__last_name"),
    }
    return render(request, "portal/party_home.html", context)


def _fiscal_year(request: HttpRequest) -> FiscalPeriod:
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:
        year = FiscalPeriod.year_of(timezone.localdate())
    if not 2000 <= year <= 2100:
        raise Http404
    return FiscalPeriod(start_year=year)


def _statement(request: HttpRequest, party_id: int):
    party = selectors.party_for_user(request.user, party_id)
    period = _fiscal_year(request)
    currencies = selectors.party_currencies(party)
    currency = request.GET.get("devise") or currencies[0]
    if currency not in currencies:
        raise Http404
    statement = party_statement(party=party, start=period.start_date, end=period.end_date, currency=currency)
    return party, period, currencies, statement_in_words(statement)


@login_required
def statement(request: HttpRequest, party_id: int) -> HttpResponse:
    party, period, currencies, statement = _statement(request, party_id)
    kinds = dict(TransactionKind.choices)
    return render(
        request,
        "portal/statement.html",
        {
            "party": party,
            "period": period,
            "currencies": currencies,
            "statement": statement,
            "kinds": kinds,
            "lines": [
                {"line": line, "kind": kinds.get(line.kind, line.kind)} for line in statement.lines
            ],
            "years": [FiscalPeriod.year_of(timezone.localdate()) - offset for offset in range(3)],
        },
    )


def _filename(party_name: str, period: FiscalPeriod, extension: str) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in party_name.lower()).strip("-")[:40]
    return f"releve-{slug}-{period}.{extension}"


@login_required
def statement_csv(request: HttpRequest, party_id: int) -> HttpResponse:
    party, period, _currencies, statement = _statement(request, party_id)
    kinds = dict(TransactionKind.choices)
    rows = [
        [_("Organisation"), party.name],
        [_("Period"), str(period), statement.start, statement.end],
        [_("Currency"), statement.currency],
        [_("Opening balance"), statement.opening.amount],
        [_("Date"), _("Movement"), _("Description"), _("Account"), _("Amount"), _("Balance")],
        *(
            [line.date, kinds.get(line.kind, line.kind), line.memo, line.account_code, line.amount.amount, line.balance.amount]
            for line in statement.lines
        ),
        [_("Closing balance"), statement.closing.amount],
    ]
    # the person's dialect (; and 1234,56 in French), formulas escaped: spreadsheets.writing
    response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(party.name, period, "csv")}"'
    return response


@login_required
def statement_pdf_view(request: HttpRequest, party_id: int) -> HttpResponse:
    party, period, _currencies, statement = _statement(request, party_id)
    content = statement_pdf(statement=statement, kinds=dict(TransactionKind.choices), period_label=str(period))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(party.name, period, "pdf")}"'
    return response


def _spending_rows(requirement, spending: dict) -> list[dict]:
    rows = []
    for line in requirement.grant.budget_lines.all():
        spent = spending.get(line.line)
        rows.append(
            {
                "label": line.get_line_display(),
                "budget": money_format(line.amount),
                "spent": money_format(Money(spent, line.amount.currency)) if spent is not None else "",
                "remaining": money_format(line.amount - Money(spent, line.amount.currency)) if spent is not None else "",
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, party_id: int, requirement_id: int) -> HttpResponse:
    party = selectors.party_for_user(request.user, party_id)
    requirement = selectors.requirement_for_user(party, requirement_id)
    current = selectors.report_of(requirement)
    is_member = Membership.objects.filter(user=request.user, party=party).exists()
    editable = is_member and (current is None or current.is_editable)
    if request.method == "POST" and not is_member:
        raise Http404  # Staff read reports here and review them in the back office.
    form = None
    if editable or request.method == "POST":
        initial = {"versions": current.version_count if current else 0}
        if current is not None:
            initial.update(
                {name: getattr(current, name) for name in (
                    "activities", "what_worked", "what_did_not", "partners_involved",
                    "youth_12_17", "youth_18_25", "activities_held", "municipalities_reached",
                )}
            )
            initial.update({f"spending_{line}": Decimal(amount) for line, amount in current.spending.items()})
        action = SUBMIT if request.POST.get("action") == SUBMIT else SAVE
        form = ReportForm(
            request.POST or None, request.FILES or None, requirement=requirement, action=action, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data.get("attachment")
            try:
                report_save(
                    requirement=requirement,
                    user=request.user,
                    data=form.report_data(),
                    uploads=[upload] if upload else [],
                    submit=action == SUBMIT,
                    expected_versions=form.cleaned_data["versions"],
                )
            except ReportError as refusal:
                form.add_error(None, refusal.messages)
            else:
                if action == SUBMIT:
                    messages.success(request, _("Thank you: the report was submitted."))
                    return redirect("portal:party", party_id=party.pk)
                messages.success(request, _("The draft was saved."))
                return redirect("portal:report", party_id=party.pk, requirement_id=requirement.pk)
    versions = []
    attachments = []
    if current is not None:
        versions = list(
            ProjectReportVersion.objects.filter(report=current).select_related("submitted_by").order_by("-number")
        )
        attachments = list(current.attachments.order_by("uploaded_at", "pk"))
    latest = versions[0].content if versions else None
    shown = latest if (latest and not editable) else None
    return render(
        request,
        "portal/report.html",
        {
            "party": party,
            "requirement": requirement,
            "report": current,
            "form": form,
            "editable": editable,
            "is_member": is_member,
            "versions": versions,
            "shown": shown,
            "attachments": attachments,
            "privacy_note": PRIVACY_NOTE,
            "spending_rows": _spending_rows(
                requirement, shown["spending"] if shown else (current.spending if current else {})
            ),
            "state": selectors.report_state(requirement, timezone.localdate()),
            "changes_requested": current is not None and current.status == ReportStatus.CHANGES_REQUESTED,
        },
    )


@login_required
def attachment(request: HttpRequest, party_id: int, requirement_id: int, attachment_id: int) -> FileResponse:
    party = selectors.party_for_user(request.user, party_id)
    document = selectors.attachment_for_user(party, requirement_id, attachment_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=document.original_name,
                            content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

