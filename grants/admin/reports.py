"""The reports' screens: what each grant owes, the reports partners sent and their review, the reminders sent."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants.forms import ReviewForm
from grants.models import ProjectReport, ProjectReportVersion, ReminderSent, ReportAttachment, ReportRequirement, ReportStatus
from grants.resources import ReportRequirementResource
from grants.selectors import report_spending_lines
from grants.services import report_accept, report_request_changes
from ledger.admin_actions import ReadOnlyInline
from ledger.errors import DomainError
from ledger.money import money_format
from ledger.admin_lists import short_text
from ledger.words import file_size_words
from spreadsheets.formats import SpreadsheetImportExportMixin as ImportExportMixin
from ledger.roles import is_staff_member


@admin.register(ReportRequirement)
class ReportRequirementAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [ReportRequirementResource]
    list_display = ["grant_name", "party_name", "kind", "content", "due_date", "report_status"]
    list_display_links = ["grant_name"]
    list_filter = ["kind", "content", "grant__programme"]
    search_fields = ["grant__title", "grant__party__name"]
    date_hierarchy = "due_date"
    list_select_related = ["grant__party", "report"]
    autocomplete_fields = ["grant"]

    @admin.display(description=gettext_lazy("grant"), ordering="grant__title")
    def grant_name(self, requirement: ReportRequirement) -> str:
        return short_text(requirement.grant.title, words=8)

    @admin.display(description=gettext_lazy("party"), ordering="grant__party__name")
    def party_name(self, requirement: ReportRequirement) -> str:
        return requirement.grant.party.name

    @admin.display(description=gettext_lazy("report"))
    def report_status(self, requirement: ReportRequirement) -> str:
        report = getattr(requirement, "report", None)
        return report.get_status_display() if report else _("Not started")

    def has_delete_permission(self, request: HttpRequest, obj: ReportRequirement | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or not hasattr(obj, "report"))


class VersionInline(ReadOnlyInline):
    model = ProjectReportVersion
    fields = ["number", "submitted_at", "submitted_by"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class AttachmentInline(ReadOnlyInline):
    model = ReportAttachment
    fields = ["document", "content_type", "size_words", "version", "uploaded_at"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("size"))
    def size_words(self, attachment: ReportAttachment) -> str:
        return file_size_words(attachment.size)

    @admin.display(description=gettext_lazy("file"))
    def document(self, attachment: ReportAttachment) -> str:
        requirement = attachment.report.requirement
        url = reverse("portal:attachment", args=[requirement.grant.party_id, requirement.pk, attachment.pk])
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)


@admin.register(ProjectReport)
class ProjectReportAdmin(admin.ModelAdmin):
    list_display = ["grant_name", "kind", "party", "status", "version_count", "submitted_at", "review_link"]
    list_display_links = ["grant_name"]
    list_filter = ["status", "requirement__kind", "requirement__grant__programme"]
    search_fields = ["requirement__grant__title", "requirement__grant__party__name"]
    list_select_related = ["requirement__grant__party"]
    inlines = [VersionInline, AttachmentInline]
    readonly_fields = [
        "requirement", "status", "activities", "what_worked", "what_did_not", "partners_involved", "youth_12_17",
        "youth_18_25", "activities_held", "municipalities_reached", "spending_lines", "version_count", "staff_comment",
        "submitted_at", "reviewed_at", "reviewed_by", "review_link",
    ]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ProjectReport | None = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("spending by budget line"))
    def spending_lines(self, report: ProjectReport) -> str:
        lines = report_spending_lines(grant=report.requirement.grant, spending=report.spending)
        if not lines:
            return "—"
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join("", '<tr><td>{}</td><td class="amount">{}</td></tr>', ((label, money_format(amount)) for label, amount in lines)),
        )

    @admin.display(description=gettext_lazy("grant"), ordering="requirement__grant__title")
    def grant_name(self, report: ProjectReport) -> str:
        return short_text(report.requirement.grant.title, words=8)

    @admin.display(description=gettext_lazy("report"), ordering="requirement__kind")
    def kind(self, report: ProjectReport) -> str:
        return report.requirement.get_kind_display()

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
        if not is_staff_member(request.user):
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
            "spending_lines": report_spending_lines(grant=report.requirement.grant, spending=version.content.get("spending"))
            if version
            else [],
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
