"""The instalments' screen: each payment of a grant, paid now by hand or its payment reversed."""

from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from grants.holds import hold_words
from grants.models import Instalment, InstalmentStatus
from grants.services import instalment_pay, instalment_reverse_payment
from grants.services.instalments import UNPAID
from ledger.admin_actions import each_selected, refusal_report
from ledger.admin_history import HistoryAdmin, HistoryLine
from ledger.admin_lists import MoneyTotalsMixin, money_column, short_text
from ledger.errors import DomainError
from ledger.money_input import MONEY_INPUT
from ledger.roles import is_staff_member


class DueFilter(admin.SimpleListFilter):
    """What finance staff look for first: what is paid soon, what is held, what is late."""

    title = gettext_lazy("due")
    parameter_name = "echeance"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return [
            ("30-jours", _("In the next 30 days")),
            ("retenus", pgettext("instalments", "Held")),
            ("en-retard", _("Overdue")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Instalment]) -> QuerySet[Instalment]:
        today = timezone.localdate()
        if self.value() == "30-jours":
            return queryset.filter(status__in=UNPAID, due_date__range=(today, today + timedelta(days=30)))
        if self.value() == "retenus":
            return queryset.filter(status=InstalmentStatus.HELD)
        if self.value() == "en-retard":
            return queryset.filter(status__in=UNPAID, due_date__lt=today)
        return queryset


@admin.register(Instalment)
class InstalmentAdmin(MoneyTotalsMixin, HistoryAdmin):
    formfield_overrides = MONEY_INPUT
    list_display = ["grant_name", "party_name", "sequence", "due_date", "amount_money", "status", "why"]
    list_display_links = ["grant_name"]
    list_filter = [DueFilter, "status", "grant__programme"]
    ordering = ["due_date", "grant__title", "sequence"]
    money_totals = [("amount", gettext_lazy("amount"))]
    search_fields = ["grant__title", "grant__party__name"]
    date_hierarchy = "due_date"
    list_select_related = ["grant__party"]
    readonly_fields = [
        "grant",
        "sequence",
        "due_date",
        "amount",
        "status",
        "held_because",
        "failure_reason",
        "transaction",
        "paid_at",
    ]
    # The hold shows once, in words (held_because): its code and what it names are the services' to set.
    exclude = ["hold_code", "hold_params", "hold_reason"]
    history_lines = [
        HistoryLine(
            gettext_lazy("reason for the hold"),
            ("hold_code", "hold_params", "hold_reason"),
            lambda version: hold_words(version.instance),
        )
    ]
    actions = ["pay_now", "reverse_payments"]

    amount_money = money_column("amount", gettext_lazy("amount"))

    @admin.display(description=gettext_lazy("grant"), ordering="grant__title")
    def grant_name(self, instalment: Instalment) -> str:
        return short_text(instalment.grant.title, words=8)

    @admin.display(description=gettext_lazy("party"), ordering="grant__party__name")
    def party_name(self, instalment: Instalment) -> str:
        return instalment.grant.party.name

    @admin.display(description=gettext_lazy("why"))
    def why(self, instalment: Instalment) -> str:
        """Why it is held or why its payment failed, in its first words."""
        return short_text(hold_words(instalment) or instalment.failure_reason, words=10)

    @admin.display(description=gettext_lazy("reason for the hold"))
    def held_because(self, instalment: Instalment) -> str:
        return hold_words(instalment)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Instalment | None = None) -> bool:
        """An instalment changes only by its acts (pay, hold, release, reverse): its page is read, never saved."""
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
