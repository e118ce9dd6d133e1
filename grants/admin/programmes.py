"""The funding programmes' screen: each envelope beside what is committed, disbursed and available."""

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from grants.models import FundingProgramme
from grants.resources import FundingProgrammeResource
from grants.selectors import amounts_of, programmes_with_amounts
from grants.services import programme_create
from spreadsheets.formats import SpreadsheetImportExportMixin as ImportExportMixin
from ledger.admin_lists import amount_html
from ledger.money import money_format
from ledger.money_input import MONEY_INPUT


@admin.register(FundingProgramme)
class FundingProgrammeAdmin(ImportExportMixin, admin.ModelAdmin):
    formfield_overrides = MONEY_INPUT
    resource_classes = [FundingProgrammeResource]
    list_display = ["name", "fiscal_year", "envelope", "committed", "disbursed", "available", "holds"]
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
        return amount_html(programme.amount)

    @admin.display(description=gettext_lazy("committed"), ordering="committed_total")
    def committed(self, programme: FundingProgramme) -> str:
        return amount_html(self._amounts(programme).committed)

    @admin.display(description=gettext_lazy("disbursed"), ordering="disbursed_total")
    def disbursed(self, programme: FundingProgramme) -> str:
        return amount_html(self._amounts(programme).disbursed)

    @admin.display(description=gettext_lazy("available"))
    def available(self, programme: FundingProgramme) -> str:
        return amount_html(self._amounts(programme).available)

    @admin.display(description=gettext_lazy("holds if late"), boolean=True, ordering="holds_on_overdue_report")
    def holds(self, programme: FundingProgramme) -> bool:
        return programme.holds_on_overdue_report
