"""The grants' screen: a grant made with its budget and schedule, approved, an amendment proposed, cancelled, its holds released."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants.admin.amendments import changes_in_words
from grants.holds import hold_words
from grants.forms import AmendForm, GrantCreateForm
from grants.models import AmendmentProposal, BudgetLine, Grant, GrantAmendment, GrantBudgetLine, Instalment, ScheduleFrequency
from grants.resources import GrantResource
from grants.services import (
    amendment_propose,
    grant_actions,
    grant_approve,
    grant_cancel,
    grant_create,
    grant_holds_release,
    requirements_generate,
)
from ledger.admin_actions import ReadOnlyInline, each_selected, refusal_report
from ledger.admin_forms import admin_form, admin_form_media
from ledger.admin_history import HistoryAdmin
from ledger.admin_lists import MoneyTotalsMixin, money_column, short_text
from ledger.errors import DomainError
from ledger.money_input import MONEY_INPUT
from spreadsheets.formats import SpreadsheetImportExportMixin as ImportExportMixin
from ledger.roles import is_administrator, is_staff_member


class BudgetLineInline(ReadOnlyInline):
    model = GrantBudgetLine
    fields = ["line", "amount"]

    def has_add_permission(self, request: HttpRequest, obj: Grant | None = None) -> bool:
        return False


class InstalmentInline(ReadOnlyInline):
    model = Instalment
    fields = ["sequence", "due_date", "amount", "status", "held_because", "failure_reason", "transaction", "paid_at"]
    ordering = ["sequence"]

    @admin.display(description=gettext_lazy("reason for the hold"))
    def held_because(self, instalment: Instalment) -> str:
        return hold_words(instalment)

    def has_add_permission(self, request: HttpRequest, obj: Grant | None = None) -> bool:
        return False


class AmendmentInline(ReadOnlyInline):
    model = GrantAmendment
    fields = ["amended_at", "amended_by", "previous_amount", "new_amount", "previous_end_date", "new_end_date", "reason"]

    def has_add_permission(self, request: HttpRequest, obj: Grant | None = None) -> bool:
        return False


class ProposalInline(ReadOnlyInline):
    model = AmendmentProposal
    fields = ["proposed_at", "proposed_by", "changes", "reason", "status", "decided_by", "decided_at"]
    show_change_link = True

    @admin.display(description=gettext_lazy("changes"))
    def changes(self, proposal: AmendmentProposal):
        return changes_in_words(proposal)


@admin.register(Grant)
class GrantAdmin(MoneyTotalsMixin, ImportExportMixin, HistoryAdmin):
    formfield_overrides = MONEY_INPUT
    resource_classes = [GrantResource]
    list_display = ["title_short", "party_name", "amount_money", "start_date", "end_date", "status"]
    money_totals = [("amount", gettext_lazy("amount"))]
    list_filter = ["status", "purpose", "programme", "frequency"]
    search_fields = ["title", "party__name", "programme__name"]
    list_select_related = ["party", "programme"]
    autocomplete_fields = ["party"]
    inlines = [BudgetLineInline, InstalmentInline, ProposalInline, AmendmentInline]
    actions = ["approve_grants", "cancel_grants", "amend_grant", "release_holds", "plan_reports"]
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

    amount_money = money_column("amount", gettext_lazy("amount"))

    @admin.display(description=gettext_lazy("title"), ordering="title")
    def title_short(self, grant: Grant) -> str:
        return short_text(grant.title, words=8)

    @admin.display(description=gettext_lazy("party"), ordering="party__name")
    def party_name(self, grant: Grant) -> str:
        return grant.party.name

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

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None):
        """A made grant changes only through its acts: no save buttons, one button per act this person may still do."""
        grant = self.get_object(request, object_id)
        no_save = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        context = {**no_save, **(extra_context or {})}
        if grant is not None:
            context["grant_actions"] = grant_actions(grant=grant, user=request.user)
        return super().change_view(request, object_id, form_url, extra_context=context)

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
        each_selected(
            self,
            request,
            queryset,
            lambda grant: grant_approve(grant=grant, approved_by=request.user),
            done=lambda grant: _("The grant %(title)s is approved.") % {"title": grant.title},
            name_refused=False,
        )

    @admin.action(description=gettext_lazy("Cancel the selected grants (their unpaid instalments too)"))
    def cancel_grants(self, request: HttpRequest, queryset: QuerySet[Grant]) -> None:
        each_selected(
            self,
            request,
            queryset,
            lambda grant: grant_cancel(grant=grant, cancelled_by=request.user),
            done=lambda grant: _("The grant %(title)s is cancelled.") % {"title": grant.title},
            name_refused=False,
        )

    @admin.action(description=gettext_lazy("Propose an amendment of the selected grant (amount or end date)"))
    def amend_grant(self, request: HttpRequest, queryset: QuerySet[Grant]) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one grant to amend."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:grants_grant_amend", args=[queryset.get().pk]))

    @admin.action(description=gettext_lazy("Release the held instalments of the selected grants"))
    def release_holds(self, request: HttpRequest, queryset: QuerySet[Grant]) -> None:
        if not is_staff_member(request.user):
            raise PermissionDenied
        released = sum(grant_holds_release(grant=grant) for grant in queryset)
        self.message_user(request, _("%(count)s instalments released; they are paid at the next run.") % {"count": released})

    @admin.action(description=gettext_lazy("Plan the reports of the selected grants from their period"))
    def plan_reports(self, request: HttpRequest, queryset: QuerySet[Grant]) -> None:
        if not is_staff_member(request.user):
            raise PermissionDenied
        count = sum(len(requirements_generate(grant=grant)) for grant in queryset)
        self.message_user(request, _("%(count)s report requirements are planned.") % {"count": count})

    def get_urls(self):
        return [
            path("<int:pk>/amend/", self.admin_site.admin_view(self.amend_view), name="grants_grant_amend"),
            path("<int:pk>/approve/", self.admin_site.admin_view(self.approve_view), name="grants_grant_approve"),
            path("<int:pk>/cancel/", self.admin_site.admin_view(self.cancel_view), name="grants_grant_cancel"),
            *super().get_urls(),
        ]

    def _act(self, request: HttpRequest, pk: int, act, done: str) -> HttpResponse:
        """One act on the grant from its page's button; a refusal is told on the same page."""
        if request.method != "POST":
            raise PermissionDenied
        grant = get_object_or_404(Grant, pk=pk)
        try:
            act(grant)
        except DomainError as refusal:
            refusal_report(self, request, refusal)
        else:
            self.message_user(request, done % {"title": grant.title})
        return HttpResponseRedirect(reverse("admin:grants_grant_change", args=[grant.pk]))

    def approve_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._act(
            request, pk, lambda grant: grant_approve(grant=grant, approved_by=request.user), _("The grant %(title)s is approved.")
        )

    def cancel_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._act(
            request, pk, lambda grant: grant_cancel(grant=grant, cancelled_by=request.user), _("The grant %(title)s is cancelled.")
        )

    def amend_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        grant = get_object_or_404(Grant, pk=pk)
        if not is_administrator(request.user):
            raise PermissionDenied
        form = AmendForm(request.POST or None, initial={"amount": grant.amount, "end_date": grant.end_date})
        if request.method == "POST" and form.is_valid():
            try:
                amendment_propose(
                    grant=grant,
                    proposed_by=request.user,
                    amount=form.cleaned_data["amount"],
                    end_date=form.cleaned_data["end_date"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as refusal:
                form.add_error(None, refusal)
            else:
                self.message_user(
                    request,
                    _("The amendment of %(title)s is proposed; another administrator approves it.") % {"title": grant.title},
                )
                return HttpResponseRedirect(reverse("admin:grants_grant_change", args=[grant.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Propose an amendment of the grant %(title)s") % {"title": grant.title},
            "opts": self.model._meta,
            "grant": grant,
            "adminform": admin_form(form),
            "media": admin_form_media(form),
            "submit_label": _("Propose"),
        }
        return TemplateResponse(request, "admin/grants/grant/amend.html", context)
