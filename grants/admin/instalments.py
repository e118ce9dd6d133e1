"""The instalments' screen: each payment of a grant, paid now by hand or its payment reversed."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants.models import Instalment
from grants.services import instalment_pay, instalment_reverse_payment
from ledger.admin_actions import each_selected, refusal_report
from ledger.admin_history import HistoryAdmin
from ledger.errors import DomainError
from ledger.money_input import MONEY_INPUT
from ledger.roles import is_staff_member


@admin.register(Instalment)
class InstalmentAdmin(HistoryAdmin):
    formfield_overrides = MONEY_INPUT
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
        if not is_staff_member(request.user):
            raise PermissionDenied
        for instalment in queryset:
            try:
                instalment_pay(instalment=instalment, posted_by=request.user)
            except DomainError as refusal:
                refusal_report(self, request, refusal)

    @admin.action(description=gettext_lazy("Reverse the payment of the selected instalments"))
    def reverse_payments(self, request: HttpRequest, queryset: QuerySet[Instalment]) -> None:
        each_selected(
            self,
            request,
            queryset,
            lambda instalment: instalment_reverse_payment(instalment=instalment, reversed_by=request.user),
            done=lambda instalment: _("The payment of instalment %(number)s is reversed.") % {"number": instalment.sequence},
            name_refused=False,
        )
