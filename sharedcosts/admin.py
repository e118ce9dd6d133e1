"""The shared-cost screens: thin, every action calls a service."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


from spreadsheets.formats import SpreadsheetImportExportMixin as ImportExportMixin

from ledger.admin_actions import ReadOnlyInline, SavingToldMixin, each_selected
from ledger.errors import DomainError
from ledger.admin_history import HistoryAdmin
from ledger.admin_lists import MoneyTotalsMixin, money_column, short_text
from ledger.models import Party
from ledger.money import money_format
from ledger.money_input import MONEY_INPUT
from sharedcosts import admin_words  # noqa: F401  (names the models in the admin's sentences)
from sharedcosts.fairness import ratio_text
from sharedcosts.forms import CostPoolForm, ExpenseForm, pool_parties, rule_params_field_names
from sharedcosts.models import (
    Allocation,
    AllocationShare,
    AllocationStatus,
    CostPool,
    Expense,
    InKindContribution,
    MeansDeclaration,
    Participation,
)
from sharedcosts.recurring.admin import RecurringBudgetMixin
from sharedcosts.resources import (
    CostPoolResource,
    ExpenseResource,
    InKindContributionResource,
    MeansDeclarationResource,
    ParticipationResource,
)
from sharedcosts.selectors import allocation_fairness, allocation_inputs, allocation_latest, pool_balances
from sharedcosts.services import (
    allocation_approve,
    allocation_compute,
    allocation_is_stale,
    allocation_post,
    expense_post,
    in_kind_post,
)


class ParticipationInline(admin.TabularInline):
    formfield_overrides = MONEY_INPUT
    model = Participation
    extra = 0
    autocomplete_fields = ["party"]
    fields = ["party", "usage", "floor", "cap", "is_exempt"]


@admin.register(CostPool)
class CostPoolAdmin(RecurringBudgetMixin, ImportExportMixin, HistoryAdmin):
    formfield_overrides = MONEY_INPUT
    resource_classes = [CostPoolResource, ParticipationResource]
    list_display = ["name", "kind", "budgeted_cost", "start_date", "end_date", "rule", "latest_status"]
    list_filter = ["kind", "rule", "start_date"]
    search_fields = ["name"]
    date_hierarchy = "start_date"
    inlines = [ParticipationInline]
    form = CostPoolForm
    readonly_fields = ["latest_allocation", "balances"]

    class Media:
        js = ["js/rule_params.js"]

    def get_fieldsets(self, request: HttpRequest, obj: CostPool | None = None) -> list:
        rule_params = rule_params_field_names(pool_parties(obj) if obj is not None else [])
        return [
            (None, {"fields": ["name", "kind", "budgeted_cost", "start_date", "end_date"]}),
            (
                gettext_lazy("How the cost is shared"),
                {"fields": ["rule", *rule_params, "measure", "measure_name", "tolerance_low", "tolerance_high"]},
            ),
            (gettext_lazy("Shares and balances"), {"fields": ["latest_allocation", "balances"]}),
            (gettext_lazy("Recurring expenses"), {"fields": ["recurring_budget"]}),
        ]

    def get_form(self, request: HttpRequest, obj: CostPool | None = None, change: bool = False, **kwargs):
        # The parameter fields are the form's own, not the model's: the form names its fields itself.
        kwargs["fields"] = None
        return super().get_form(request, obj, change, **kwargs)
    actions = ["compute_allocations", "approve_allocations", "post_allocations"]

    @admin.display(description=gettext_lazy("latest allocation"))
    def latest_status(self, pool: CostPool) -> str:
        allocation = allocation_latest(pool)
        if allocation is None:
            return "—"
        return _("version %(version)s, %(status)s") % {
            "version": allocation.version,
            "status": allocation.get_status_display(),
        }

    @admin.display(description=gettext_lazy("latest computed shares"))
    def latest_allocation(self, pool: CostPool) -> str:
        allocation = allocation_latest(pool) if pool.pk else None
        if allocation is None:
            return _("No allocation computed yet.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    line.party.name,
                    money_format(line.share),
                    "—" if line.means is None else number_format(line.means, 2, force_grouping=True),
                    "—" if line.effort_ratio is None else ratio_text(line.effort_ratio),
                    "⚠" if line.flagged else "",
                )
                for line in allocation_fairness(allocation=allocation)
            ),
        )
        stale = allocation.status == AllocationStatus.DRAFT and allocation_is_stale(allocation)
        return format_html(
            "<p>{}{}</p><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("Version %(version)s, %(status)s.") % {"version": allocation.version, "status": allocation.get_status_display()},
            format_html(" <strong>{}</strong>", _("The inputs changed since: compute again.")) if stale else "",
            _("party"),
            _("share"),
            _("means"),
            _("effort ratio"),
            _("outside the tolerance"),
            rows,
        )

    @admin.display(description=gettext_lazy("balances in the ledger"))
    def balances(self, pool: CostPool) -> str:
        if not pool.pk:
            return "—"
        balances = pool_balances(pool=pool)
        parties = Party.objects.in_bulk(list(balances))
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td></tr>",
            ((parties[party_id].name, money_format(balance)) for party_id, balance in balances.items()),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("party"),
            _("balance (paid + in kind − share)"),
            rows,
        )

    @admin.action(description=gettext_lazy("Compute a new allocation of the selected pools"))
    def compute_allocations(self, request: HttpRequest, queryset: QuerySet[CostPool]) -> None:
        each_selected(
            self,
            request,
            queryset,
            lambda pool: allocation_compute(pool=pool, prepared_by=request.user),
            done=lambda item: _("%(item)s: a new draft allocation is computed.") % {"item": item},
        )

    @admin.action(description=gettext_lazy("Approve the latest allocation of the selected pools"))
    def approve_allocations(self, request: HttpRequest, queryset: QuerySet[CostPool]) -> None:
        allocations = [a for a in (allocation_latest(pool) for pool in queryset) if a is not None]
        each_selected(
            self,
            request,
            allocations,
            lambda allocation: allocation_approve(allocation=allocation, approved_by=request.user),
            done=lambda item: _("%(item)s is approved.") % {"item": item},
        )

    @admin.action(description=gettext_lazy("Post the latest allocation of the selected pools"))
    def post_allocations(self, request: HttpRequest, queryset: QuerySet[CostPool]) -> None:
        allocations = [a for a in (allocation_latest(pool) for pool in queryset) if a is not None]
        each_selected(
            self,
            request,
            allocations,
            lambda allocation: allocation_post(allocation=allocation, posted_by=request.user),
            done=lambda item: _("%(item)s is posted to the ledger.") % {"item": item},
        )


class AllocationShareInline(ReadOnlyInline):
    model = AllocationShare
    fields = ["party", "amount", "means_declaration"]

    def has_change_permission(self, request: HttpRequest, obj: Allocation | None = None) -> bool:
        return False


@admin.register(Allocation)
class AllocationAdmin(HistoryAdmin):
    """Allocations are made by the compute action and never edited."""

    list_display = ["pool", "version", "status", "total_money", "prepared_by", "approved_by", "posted_at"]
    total_money = money_column("total", gettext_lazy("total"))
    list_filter = ["status", "pool__kind"]
    list_select_related = ["pool", "prepared_by", "approved_by"]
    search_fields = ["pool__name"]
    readonly_fields = [
        "pool",
        "version",
        "status",
        "total",
        "inputs_words",
        "prepared_by",
        "prepared_at",
        "approved_by",
        "approved_at",
        "posted_by",
        "posted_at",
        "supersedes",
    ]
    fields = readonly_fields
    inlines = [AllocationShareInline]
    actions = ["approve", "post"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=gettext_lazy("inputs"))
    def inputs_words(self, allocation: Allocation) -> str:
        inputs = allocation_inputs(allocation=allocation)
        return render_to_string("admin/sharedcosts/allocation/inputs.html", {"inputs": inputs})

    def has_delete_permission(self, request: HttpRequest, obj: Allocation | None = None) -> bool:
        return obj is not None and obj.status == AllocationStatus.DRAFT and super().has_delete_permission(request, obj)

    @admin.action(description=gettext_lazy("Approve the selected allocations"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Allocation]) -> None:
        each_selected(
            self,
            request,
            queryset,
            lambda allocation: allocation_approve(allocation=allocation, approved_by=request.user),
            done=lambda item: _("%(item)s is approved.") % {"item": item},
        )

    @admin.action(description=gettext_lazy("Post the selected allocations to the ledger"))
    def post(self, request: HttpRequest, queryset: QuerySet[Allocation]) -> None:
        each_selected(
            self,
            request,
            queryset,
            lambda allocation: allocation_post(allocation=allocation, posted_by=request.user),
            done=lambda item: _("%(item)s is posted to the ledger.") % {"item": item},
        )


class PostedReadOnlyMixin:
    """Once posted, a row records a ledger transaction: it is no longer edited."""

    posted_fields: list[str] = []

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj is not None and obj.transaction_id is not None:
            return [*self.posted_fields, "transaction"]
        return ["transaction"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return (obj is None or obj.transaction_id is None) and super().has_delete_permission(request, obj)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None):
        posted = self.get_object(request, object_id)
        if posted is not None and posted.transaction_id is not None:
            no_save = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
            extra_context = {**no_save, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Expense)
class ExpenseAdmin(SavingToldMixin, MoneyTotalsMixin, ImportExportMixin, PostedReadOnlyMixin, admin.ModelAdmin):
    """An expense saved here is posted at once; if the ledger refuses, it stays saved and the person is told how to post it."""

    form = ExpenseForm
    formfield_overrides = MONEY_INPUT
    resource_classes = [ExpenseResource]
    list_display = ["vendor_short", "pool_name", "payer_name", "date", "amount_money", "is_posted"]
    money_totals = [("amount", gettext_lazy("amount"))]
    amount_money = money_column("amount", gettext_lazy("amount"))
    list_filter = ["pool", "payer", "date"]
    search_fields = ["vendor", "description", "pool__name", "payer__name"]
    autocomplete_fields = ["payer"]
    list_select_related = ["pool", "payer"]
    posted_fields = ["pool", "payer", "vendor", "date", "amount", "description", "document"]
    actions = ["post"]

    @admin.display(description=gettext_lazy("vendor"), ordering="vendor")
    def vendor_short(self, expense: Expense) -> str:
        return short_text(expense.vendor)

    @admin.display(description=gettext_lazy("pool"), ordering="pool__name")
    def pool_name(self, expense: Expense) -> str:
        return expense.pool.name

    @admin.display(description=gettext_lazy("payer"), ordering="payer__name")
    def payer_name(self, expense: Expense) -> str:
        return expense.payer.name

    @admin.display(description=gettext_lazy("posted"), boolean=True)
    def is_posted(self, expense: Expense) -> bool:
        return expense.transaction_id is not None

    def save_model(self, request: HttpRequest, obj: Expense, form: ExpenseForm, change: bool) -> None:
        if obj.transaction_id is not None:
            return  # posted: nothing of it can change
        super().save_model(request, obj, form, change)
        try:
            expense_post(expense=obj, posted_by=request.user)
        except DomainError as refusal:
            told = _(
                "The expense “%(vendor)s” of %(amount)s is saved but not posted to the ledger: %(reason)s "
                "Once that is settled, post it from the list with the action “Post the selected expenses to the ledger”."
            ) % {"vendor": obj.vendor, "amount": money_format(obj.amount), "reason": " ".join(refusal.messages)}
            self.saving_tell(request, told, messages.WARNING)
        else:
            self.saving_tell(
                request,
                _("The expense “%(vendor)s” of %(amount)s is saved and posted to the ledger.")
                % {"vendor": obj.vendor, "amount": money_format(obj.amount)},
            )

    @admin.action(description=gettext_lazy("Post the selected expenses to the ledger"))
    def post(self, request: HttpRequest, queryset: QuerySet[Expense]) -> None:
        each_selected(
            self,
            request,
            queryset.select_related("pool", "payer"),
            lambda expense: expense_post(expense=expense, posted_by=request.user),
            done=lambda item: _("%(item)s is posted to the ledger.") % {"item": item},
        )


@admin.register(InKindContribution)
class InKindContributionAdmin(SavingToldMixin, MoneyTotalsMixin, ImportExportMixin, PostedReadOnlyMixin, admin.ModelAdmin):
    """A contribution saved here is only recorded: the action "Credit" posts it to the ledger, and the save says so."""

    formfield_overrides = MONEY_INPUT
    resource_classes = [InKindContributionResource]
    list_display = ["description", "pool", "party", "date", "value_money", "is_posted"]
    money_totals = [("value", gettext_lazy("value"))]
    value_money = money_column("value", gettext_lazy("value"))
    list_filter = ["pool", "party"]
    search_fields = ["description", "justification", "pool__name", "party__name"]
    autocomplete_fields = ["party"]
    list_select_related = ["pool", "party"]
    posted_fields = ["pool", "party", "description", "value", "justification", "date"]
    actions = ["post"]

    @admin.display(description=gettext_lazy("posted"), boolean=True)
    def is_posted(self, contribution: InKindContribution) -> bool:
        return contribution.transaction_id is not None

    def save_model(self, request: HttpRequest, obj: InKindContribution, form, change: bool) -> None:
        if obj.transaction_id is not None:
            return  # credited: nothing of it can change
        super().save_model(request, obj, form, change)
        self.saving_tell(
            request,
            _(
                "The contribution “%(description)s” of %(value)s is recorded but not yet credited in the ledger. "
                "To credit it, tick it in the list and choose the action “%(action)s”."
            )
            % {"description": obj.description, "value": money_format(obj.value), "action": self.post.short_description},
        )

    @admin.action(description=gettext_lazy("Credit the selected contributions in the ledger"))
    def post(self, request: HttpRequest, queryset: QuerySet[InKindContribution]) -> None:
        each_selected(
            self,
            request,
            queryset.select_related("pool", "party"),
            lambda contribution: in_kind_post(contribution=contribution, posted_by=request.user),
            done=lambda item: _("%(item)s is credited in the ledger.") % {"item": item},
        )


@admin.register(MeansDeclaration)
class MeansDeclarationAdmin(ImportExportMixin, HistoryAdmin):
    resource_classes = [MeansDeclarationResource]
    list_display = ["party", "measure", "measure_name", "value", "as_of", "source"]
    list_filter = ["measure", "as_of", "party__kind", "party__sector"]
    search_fields = ["party__name", "source", "measure_name"]
    autocomplete_fields = ["party"]
    list_select_related = ["party"]
    date_hierarchy = "as_of"

# The travel's screens live beside its models.
from sharedcosts.travel import admin as travel_admin  # noqa: E402, F401
