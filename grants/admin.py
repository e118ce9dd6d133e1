"""The back office of grants: thin screens over :mod:`grants.services`."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from djmoney.forms.fields import MoneyField
from moneyed import Money
from simple_history.admin import SimpleHistoryAdmin

from grants.models import (
    BudgetLine,
    FundingProgramme,
    Grant,
    GrantAmendment,
    GrantBudgetLine,
    Instalment,
    ScheduleFrequency,
)
from grants.selectors import amounts_of, programmes_with_amounts
from grants.services import (
    grant_amend,
    grant_approve,
    grant_cancel,
    grant_check,
    grant_create,
    grant_holds_release,
    instalment_pay,
    instalment_reverse_payment,
    programme_create,
)
from grants.resources import FundingProgrammeResource, GrantResource, ReportRequirementResource
from ledger.imports import SpreadsheetImportExportMixin as ImportExportMixin
from ledger.errors import DomainError
from ledger.money import money_format
from ledger.roles import is_administrator, is_finance


def _refused(modeladmin: admin.ModelAdmin, request: HttpRequest, refusal: DomainError) -> None:
    modeladmin.message_user(request, " ".join(refusal.messages), messages.ERROR)


@admin.register(FundingProgramme)
class FundingProgrammeAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [FundingProgrammeResource]
    list_display = ["name", "fiscal_year", "envelope", "committed", "disbursed", "available", "holds_on_overdue_report"]
    list_filter = ["fiscal_year", "holds_on_overdue_report"]
    search_fields = ["name"]
    readonly_fields = ["fund_account", "envelope", "committed", "disbursed", "available"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[FundingProgramme]:
        return programmes_with_amounts(super().get_queryset(request))

    def get_readonly_fields(self, request: HttpRequest, obj: FundingProgramme | None = None) -> list[str]:
        if obj is None:
            return []
        return ["fiscal_year", "amount", *self.readonly_fields]

    def get_fields(self, request: HttpRequest, obj: FundingProgramme | None = None) -> list[str]:
        if obj is None:
            return ["name", "fiscal_year", "amount", "holds_on_overdue_report"]
        return ["name", "fiscal_year", "holds_on_overdue_report", *self.readonly_fields]

    def save_model(self, request: HttpRequest, obj: FundingProgramme, form: forms.ModelForm, change: bool) -> None:
        if change:
            obj.save(update_fields=["name", "holds_on_overdue_report"])
            return
        created = programme_create(
            name=obj.name,
            fiscal_year=obj.fiscal_year,
            amount=obj.amount,
            holds_on_overdue_report=obj.holds_on_overdue_report,
            created_by=request.user,
        )
        obj.pk = created.pk

    def has_delete_permission(self, request: HttpRequest, obj: FundingProgramme | None = None) -> bool:
        return False

    def _amounts(self, programme: FundingProgramme):
        if not hasattr(programme, "committed_total"):
            programme = programmes_with_amounts(FundingProgramme.objects.filter(pk=programme.pk)).get()
        return amounts_of(programme)

    @admin.display(description=gettext_lazy("envelope"), ordering="amount")
    def envelope(self, programme: FundingProgramme) -> str:
        return money_format(programme.amount)

    @admin.display(description=gettext_lazy("committed"), ordering="committed_total")
    def committed(self, programme: FundingProgramme) -> str:
        return money_format(self._amounts(programme).committed)

    @admin.display(description=gettext_lazy("disbursed"), ordering="disbursed_total")
    def disbursed(self, programme: FundingProgramme) -> str:
        return money_format(self._amounts(programme).disbursed)

    @admin.display(description=gettext_lazy("available"))
    def available(self, programme: FundingProgramme) -> str:
        return money_format(self._amounts(programme).available)


class BudgetLineInline(admin.TabularInline):
    model = GrantBudgetLine
    fields = ["line", "amount"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Grant | None = None) -> bool:
        return False


class InstalmentInline(admin.TabularInline):
    model = Instalment
    fields = ["sequence", "due_date", "amount", "status", "hold_reason", "failure_reason", "transaction", "paid_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["sequence"]

    def has_add_permission(self, request: HttpRequest, obj: Grant | None = None) -> bool:
        return False


class AmendmentInline(admin.TabularInline):
    model = GrantAmendment
    fields = ["amended_at", "amended_by", "previous_amount", "new_amount", "previous_end_date", "new_end_date", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Grant | None = None) -> bool:
        return False


class GrantCreateForm(forms.ModelForm):
    """A new grant with its budget by line and its schedule; checked by the service itself."""

    dates = forms.CharField(
        label=gettext_lazy("given dates"),
        required=False,
        help_text=gettext_lazy("For a schedule by given dates: YYYY-MM-DD, separated by commas."),
    )

    class Meta:
        model = Grant
        fields = ["programme", "party", "title", "purpose", "amount", "start_date", "end_date", "frequency"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for line in BudgetLine:
            self.fields[f"budget_{line.value}"] = MoneyField(
                label=line.label,
                required=False,
                max_digits=14,
                decimal_places=2,
                default_currency=settings.DEFAULT_CURRENCY,
                currency_choices=settings.CURRENCY_CHOICES,
            )

    def clean_dates(self) -> list:
        from datetime import date

        text = self.cleaned_data.get("dates") or ""
        try:
            return [date.fromisoformat(part.strip()) for part in text.split(",") if part.strip()]
        except ValueError as error:
            raise forms.ValidationError(_("Write each date as YYYY-MM-DD.")) from error

    def budget(self) -> dict[str, Money]:
        return {
            line.value: self.cleaned_data[f"budget_{line.value}"]
            for line in BudgetLine
            if self.cleaned_data.get(f"budget_{line.value}") is not None
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            grant_check(
                programme=cleaned["programme"],
                amount=cleaned["amount"],
                start_date=cleaned["start_date"],
                end_date=cleaned["end_date"],
                budget=self.budget(),
                frequency=cleaned["frequency"],
                dates=cleaned.get("dates"),
            )
        except DomainError as refusal:
            raise forms.ValidationError(refusal.messages) from refusal
        return cleaned


class AmendForm(forms.Form):
    amount = MoneyField(
        label=gettext_lazy("new amount"),
        max_digits=14,
        decimal_places=2,
        default_currency=settings.DEFAULT_CURRENCY,
        currency_choices=settings.CURRENCY_CHOICES,
    )
    end_date = forms.DateField(label=gettext_lazy("new end date"))
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=500, required=False)


@admin.register(Grant)
class GrantAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [GrantResource]
    list_display = ["title", "party", "programme", "purpose", "amount", "start_date", "end_date", "status"]
    list_filter = ["status", "purpose", "programme", "frequency"]
    search_fields = ["title", "party__name", "programme__name"]
    list_select_related = ["party", "programme"]
    autocomplete_fields = ["party"]
    inlines = [BudgetLineInline, InstalmentInline, AmendmentInline]
    actions = ["approve_grants", "cancel_grants", "amend_grant", "release_holds"]
    readonly_fields = [
        "programme",
        "party",
        "title",
        "purpose",
        "amount",
        "start_date",
        "end_date",
        "frequency",
        "status",
        "created_by",
        "created_at",
        "approved_by",
        "approved_at",
        "cancelled_by",
        "cancelled_at",
        "cancel_reason",
    ]

    def get_form(self, request: HttpRequest, obj: Grant | None = None, change: bool = False, **kwargs):
        if obj is None:
            kwargs["form"] = GrantCreateForm
            kwargs["fields"] = None
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Grant | None = None):
        if obj is not None:
            return [(None, {"fields": self.readonly_fields})]
        return [
            (None, {"fields": ["programme", "party", "title", "purpose", "amount", "start_date", "end_date"]}),
            (_("Budget by line"), {"fields": [f"budget_{line.value}" for line in BudgetLine]}),
            (_("Instalment schedule"), {"fields": ["frequency", "dates"]}),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Grant | None = None) -> list[str]:
        return self.readonly_fields if obj is not None else []

    def get_inlines(self, request: HttpRequest, obj: Grant | None):
        return self.inlines if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Grant | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Grant, form: forms.ModelForm, change: bool) -> None:
        if change:
            return
        data = form.cleaned_data
        created = grant_create(
            programme=data["programme"],
            party=data["party"],
            title=data["title"],
            purpose=data["purpose"],
            amount=data["amount"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            budget=form.budget(),
            frequency=data["frequency"],
            dates=data.get("dates") if data["frequency"] == ScheduleFrequency.DATES else None,
            created_by=request.user,
        )
        obj.pk = created.pk

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets, change: bool) -> None:
        """The service saved everything; the inlines are read-only."""

    @admin.action(description=gettext_lazy("Approve the selected grants"))
    def approve_grants(self, request: HttpRequest, queryset: QuerySet[Grant]) -> None:
        for grant in queryset:
            try:
                grant_approve(grant=grant, approved_by=request.user)
            except DomainError as refusal:
                _refused(self, request, refusal)
            else:
                self.message_user(request, _("The grant %(title)s is approved.") % {"title": grant.title})

    @admin.action(description=gettext_lazy("Cancel the selected grants (their unpaid instalments too)"))
    def cancel_grants(self, request: HttpRequest, queryset: QuerySet[Grant]) -> None:
        for grant in queryset:
            try:
                grant_cancel(grant=grant, cancelled_by=request.user)
            except DomainError as refusal:
                _refused(self, request, refusal)
            else:
                self.message_user(request, _("The grant %(title)s is cancelled.") % {"title": grant.title})

    @admin.action(description=gettext_lazy("Amend the selected grant (amount or end date)"))
    def amend_grant(self, request: HttpRequest, queryset: QuerySet[Grant]) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one grant to amend."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:grants_grant_amend", args=[queryset.get().pk]))

    @admin.action(description=gettext_lazy("Release the held instalments of the selected grants"))
    def release_holds(self, request: HttpRequest, queryset: QuerySet[Grant]) -> None:
        if not is_finance(request.user) and not is_administrator(request.user):
            raise PermissionDenied
        released = sum(grant_holds_release(grant=grant) for grant in queryset)
        self.message_user(request, _("%(count)s instalments released; they are paid at the next run.") % {"count": released})

    def get_urls(self):
        return [
            path("<int:pk>/amend/", self.admin_site.admin_view(self.amend_view), name="grants_grant_amend"),
            *super().get_urls(),
        ]

    def amend_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        grant = get_object_or_404(Grant, pk=pk)
        if not is_administrator(request.user):
            raise PermissionDenied
        form = AmendForm(request.POST or None, initial={"amount": grant.amount, "end_date": grant.end_date})
        if request.method == "POST" and form.is_valid():
            try:
                grant_amend(
                    grant=grant,
                    amended_by=request.user,
                    amount=form.cleaned_data["amount"],
                    end_date=form.cleaned_data["end_date"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as refusal:
                form.add_error(None, refusal)
            else:
                self.message_user(request, _("The grant %(title)s is amended.") % {"title": grant.title})
                return HttpResponseRedirect(reverse("admin:grants_grant_change", args=[grant.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Amend the grant %(title)s") % {"title": grant.title},
            "opts": self.model._meta,
            "grant": grant,
            "form": form,
        }
        return TemplateResponse(request, "admin/grants/grant/amend.html", context)


@admin.register(Instalment)
class InstalmentAdmin(SimpleHistoryAdmin):
    list_display = ["grant", "sequence", "due_date", "amount", "status", "hold_reason", "failure_reason", "transaction"]
    list_filter = ["status", "grant__programme"]
    search_fields = ["grant__title", "grant__party__name"]
    date_hierarchy = "due_date"
    list_select_related = ["grant__party", "transaction"]
    readonly_fields = [
        "grant",
        "sequence",
        "due_date",
        "amount",
        "status",
        "hold_reason",
        "failure_reason",
        "transaction",
        "paid_at",
    ]
    actions = ["pay_now", "reverse_payments"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Instalment | None = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Pay the selected instalments now"))
    def pay_now(self, request: HttpRequest, queryset: QuerySet[Instalment]) -> None:
        if not is_finance(request.user) and not is_administrator(request.user):
            raise PermissionDenied
        for instalment in queryset:
            try:
                instalment_pay(instalment=instalment, posted_by=request.user)
            except DomainError as refusal:
                _refused(self, request, refusal)

    @admin.action(description=gettext_lazy("Reverse the payment of the selected instalments"))
    def reverse_payments(self, request: HttpRequest, queryset: QuerySet[Instalment]) -> None:
        for instalment in queryset:
            try:
                instalment_reverse_payment(instalment=instalment, reversed_by=request.user)
            except DomainError as refusal:
                _refused(self, request, refusal)
            else:
                self.message_user(
                    request, _("The payment of instalment %(number)s is reversed.") % {"number": instalment.sequence}
                )


# --- Project reports ---------------------------------------------------------------------------------------------------

from django.utils.html import format_html  # noqa: E402

from grants.models import (  # noqa: E402
    ProjectReport,
    ProjectReportVersion,
    ReminderSent,
    ReportAttachment,
    ReportRequirement,
    ReportStatus,
)
from grants.services import report_accept, report_request_changes, requirements_generate  # noqa: E402


@admin.register(ReportRequirement)
class ReportRequirementAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [ReportRequirementResource]
    list_display = ["grant", "kind", "content", "due_date", "report_status"]
    list_filter = ["kind", "content", "grant__programme"]
    search_fields = ["grant__title", "grant__party__name"]
    date_hierarchy = "due_date"
    list_select_related = ["grant__party", "report"]
    autocomplete_fields = ["grant"]

    @admin.display(description=gettext_lazy("report"))
    def report_status(self, requirement: ReportRequirement) -> str:
        report = getattr(requirement, "report", None)
        return report.get_status_display() if report else _("Not started")

    def has_delete_permission(self, request: HttpRequest, obj: ReportRequirement | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or not hasattr(obj, "report"))


def _generate_requirements(modeladmin, request: HttpRequest, queryset: QuerySet[Grant]) -> None:
    if not is_finance(request.user) and not is_administrator(request.user):
        raise PermissionDenied
    count = sum(len(requirements_generate(grant=grant)) for grant in queryset)
    modeladmin.message_user(request, _("%(count)s report requirements are planned.") % {"count": count})


_generate_requirements.short_description = gettext_lazy("Plan the reports of the selected grants from their period")
GrantAdmin.actions = [*GrantAdmin.actions, _generate_requirements]


class VersionInline(admin.TabularInline):
    model = ProjectReportVersion
    extra = 0
    fields = ["number", "submitted_at", "submitted_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class AttachmentInline(admin.TabularInline):
    model = ReportAttachment
    extra = 0
    fields = ["document", "content_type", "size", "version", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("file"))
    def document(self, attachment: ReportAttachment) -> str:
        requirement = attachment.report.requirement
        url = reverse("portal:attachment", args=[requirement.grant.party_id, requirement.pk, attachment.pk])
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment for the organisation (required to request changes)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


@admin.register(ProjectReport)
class ProjectReportAdmin(admin.ModelAdmin):
    list_display = ["requirement", "party", "status", "version_count", "submitted_at", "review_link"]
    list_filter = ["status", "requirement__kind", "requirement__grant__programme"]
    search_fields = ["requirement__grant__title", "requirement__grant__party__name"]
    list_select_related = ["requirement__grant__party"]
    inlines = [VersionInline, AttachmentInline]
    readonly_fields = [
        "requirement", "status", "activities", "what_worked", "what_did_not", "partners_involved", "youth_12_17",
        "youth_18_25", "activities_held", "municipalities_reached", "spending", "version_count", "staff_comment",
        "submitted_at", "reviewed_at", "reviewed_by", "review_link",
    ]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ProjectReport | None = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("party"))
    def party(self, report: ProjectReport) -> str:
        return report.requirement.grant.party.name

    @admin.display(description=gettext_lazy("review"))
    def review_link(self, report: ProjectReport) -> str:
        if report.pk is None or report.status not in (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED):
            return "—"
        return format_html(
            '<a class="button" href="{}">{}</a>', reverse("admin:grants_projectreport_review", args=[report.pk]),
            _("Review"),
        )

    def get_urls(self):
        return [
            path("<int:pk>/review/", self.admin_site.admin_view(self.review_view), name="grants_projectreport_review"),
            *super().get_urls(),
        ]

    def review_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not is_finance(request.user) and not is_administrator(request.user):
            raise PermissionDenied
        report = get_object_or_404(ProjectReport.objects.select_related("requirement__grant__party"), pk=pk)
        form = ReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                if request.POST.get("decision") == "accept":
                    released = report_accept(report=report, reviewed_by=request.user)
                    self.message_user(
                        request,
                        _("The report is accepted; %(count)s held instalments are released.") % {"count": released},
                    )
                else:
                    report_request_changes(report=report, reviewed_by=request.user, comment=form.cleaned_data["comment"])
                    self.message_user(request, _("The organisation is asked for changes."))
            except DomainError as refusal:
                form.add_error(None, refusal)
            else:
                return HttpResponseRedirect(reverse("admin:grants_projectreport_change", args=[report.pk]))
        version = report.versions.order_by("-number").first()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review the report %(report)s") % {"report": report},
            "opts": self.model._meta,
            "report": report,
            "version": version,
            "form": form,
            "under_review": report.status in (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED),
        }
        return TemplateResponse(request, "admin/grants/projectreport/review.html", context)


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["requirement", "kind", "sent_at", "recipients"]
    list_filter = ["kind"]
    readonly_fields = ["requirement", "kind", "sent_at", "recipients"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
