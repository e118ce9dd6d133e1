from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from moneyed import Money

from ledger.account_words import accounts_names
from ledger.admin_actions import ReadOnlyInline, each_selected
from ledger.admin_forms import admin_form, admin_form_media
from ledger.admin_history import HistoryAdmin
from ledger.admin_lists import french_order
from ledger.errors import DomainError
from ledger.forms import AdjustmentForm, AdjustmentLineFormSet
from ledger.memo_words import transaction_line, transactions_memos
from ledger.money import money_format
from ledger.models import Account, Entry, FiscalPeriod, Membership, Party, Transaction, TransactionKind
from ledger.notifications import admin as notifications_admin  # noqa: F401  (registers its screens)
from ledger.resources import MembershipResource, PartyResource
from ledger.selectors import account_balances
from ledger.roles import is_administrator, is_finance
from ledger.periods import fiscal_period_close, fiscal_period_open
from ledger.services import Line, transaction_post, transaction_reverse
from spreadsheets.formats import SpreadsheetImportExportMixin as ImportExportMixin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Party)
class PartyAdmin(ImportExportMixin, HistoryAdmin):
    resource_classes = [PartyResource]
    list_display = ["name", "kind", "sector", "liaison_name", "is_active"]
    list_filter = ["kind", "sector", "is_active"]
    # The lists that filter by a party and its autocomplete follow this order too.
    ordering = [french_order("name"), "name"]
    search_fields = ["name", "liaison_name", "liaison_email"]
    inlines = [MembershipInline]
    readonly_fields = ["balances"]

    @admin.display(description=gettext_lazy("balances"))
    def balances(self, party: Party) -> str:
        """Each of the party's accounts (grants received, each pool's position) with its balance today."""
        if party.pk is None:
            return "—"
        accounts = party.accounts.order_by("currency", "code")
        balances = account_balances(accounts=accounts)
        if not balances:
            return _("No account yet.")
        names = accounts_names(accounts=list(accounts))
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td class="amount">{}</td></tr>',
            (
                (reverse("admin:ledger_account_change", args=[account.pk]), names[account.pk], money_format(balances[account.pk]))
                for account in accounts
            ),
        )
        return format_html('<table class="balances"><tbody>{}</tbody></table>', rows)


@admin.register(Membership)
class MembershipAdmin(ImportExportMixin, HistoryAdmin):
    resource_classes = [MembershipResource]
    list_display = ["user", "party", "role"]
    list_filter = ["role", "party__sector"]
    search_fields = ["user__username", "user__email", "party__name"]
    autocomplete_fields = ["user", "party"]


class AccountChangeList(ChangeList):
    """A page of accounts, each named in the reader's language (:mod:`ledger.account_words`), for the whole page at once."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        self.result_list = list(self.result_list)
        names = accounts_names(accounts=self.result_list)
        for account in self.result_list:
            account.name_in_words = names[account.pk]


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    """An account a feature made is named in the reader's language on the list; its page keeps the stored name to edit."""

    list_display = ["code", "name_in_words", "party", "type", "currency", "balance"]
    list_filter = ["type", "currency", "party__sector"]
    search_fields = ["code", "name", "party__name"]
    list_select_related = ["party"]
    autocomplete_fields = ["party"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Account]:
        return super().get_queryset(request).annotate(kept_balance=Sum("balance_shares__amount"))

    def get_readonly_fields(self, request: HttpRequest, obj: Account | None = None) -> list[str]:
        return ["currency", "party", "type"] if obj is not None and obj.entries.exists() else []

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        return AccountChangeList

    @admin.display(description=gettext_lazy("name"), ordering="name")
    def name_in_words(self, account: Account) -> str:
        return account.name_in_words

    @admin.display(description=gettext_lazy("balance"), ordering="kept_balance")
    def balance(self, account: Account) -> str:
        return money_format(Money(account.kept_balance or 0, account.currency))


@admin.register(FiscalPeriod)
class FiscalPeriodAdmin(HistoryAdmin):
    list_display = ["__str__", "is_closed", "closed_at", "closed_by"]
    fields = ["start_year", "is_closed", "closed_at", "closed_by"]
    readonly_fields = ["is_closed", "closed_at", "closed_by"]
    actions = ["close_periods"]

    def get_readonly_fields(self, request: HttpRequest, obj: FiscalPeriod | None = None) -> list[str]:
        return [*self.readonly_fields, "start_year"] if obj is not None else self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: FiscalPeriod | None = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    def save_model(self, request: HttpRequest, obj: FiscalPeriod, form, change: bool) -> None:
        """A period is only ever added here (its fields are read-only after), through the service."""
        if not change:
            fiscal_period_open(start_year=obj.start_year, opened_by=request.user)

    @admin.action(description=gettext_lazy("Close the selected fiscal periods"))
    def close_periods(self, request: HttpRequest, queryset: QuerySet[FiscalPeriod]) -> None:
        each_selected(
            self,
            request,
            queryset,
            lambda period: fiscal_period_close(period=period, closed_by=request.user),
            done=lambda period: _("The fiscal period %(period)s is closed.") % {"period": period},
            name_refused=False,
        )


class EntryInline(ReadOnlyInline):
    model = Entry
    fields = ["account_in_words", "amount"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entry]:
        return super().get_queryset(request).select_related("account")

    def get_formset(self, request: HttpRequest, obj: Transaction | None = None, **kwargs):
        # The accounts of all the transaction's entries are named at once; the admin makes an inline per request.
        accounts = [entry.account for entry in self.get_queryset(request).filter(transaction=obj)] if obj else []
        self.account_names = accounts_names(accounts=accounts)
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=gettext_lazy("account"))
    def account_in_words(self, entry: Entry) -> str:
        """The entry's account, linked, named in the reader's language (:mod:`ledger.account_words`)."""
        account = entry.account
        return format_html(
            '<a href="{}">{} · {}</a>',
            reverse("admin:ledger_account_change", args=[account.pk]),
            account.code,
            self.account_names.get(account.pk, account.name),
        )

    def has_change_permission(self, request: HttpRequest, obj: Transaction | None = None) -> bool:
        return False


class TransactionChangeList(ChangeList):
    """A page of transactions, each with its line in the reader's language, written for the whole page at once."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        self.result_list = list(self.result_list)
        memos = transactions_memos(transactions=self.result_list)
        for txn in self.result_list:
            txn.line_in_words = transaction_line(txn, memos)


@admin.register(Transaction)
class TransactionAdmin(admin.ModelAdmin):
    """Posted transactions are read-only; they are corrected by a reversal.

    A transaction's line is shown in the reader's language (:mod:`ledger.memo_words`),
    whoever posted it; search still reads the stored memo.
    """

    list_display = ["id", "date", "kind", "line", "period", "posted_by", "reverses"]
    list_filter = ["kind", "period"]
    date_hierarchy = "date"
    search_fields = ["memo", "idempotency_key", "entries__account__code", "entries__account__party__name"]
    list_select_related = ["period", "posted_by", "reverses"]
    readonly_fields = [
        "date",
        "period",
        "kind",
        "line",
        "posted_at",
        "posted_by",
        "reverses",
    ]
    # The posting's key and its request's hash keep a retry from posting twice: the code's, not a reader's.
    exclude = ["idempotency_key", "request_hash"]
    inlines = [EntryInline]
    actions = ["reverse_transactions"]
    change_list_template = "admin/ledger/transaction/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Transaction | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Transaction | None = None) -> bool:
        return False

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        return TransactionChangeList

    @admin.display(description=gettext_lazy("memo"))
    def line(self, txn: Transaction) -> str:
        """Written for the whole page on the list (:class:`TransactionChangeList`), for itself on its own page."""
        written = getattr(txn, "line_in_words", None)
        return written if written is not None else transaction_line(txn, transactions_memos(transactions=[txn]))

    def get_urls(self):
        return [
            path(
                "adjustment/",
                self.admin_site.admin_view(self.post_adjustment_view),
                name="ledger_transaction_adjustment",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=gettext_lazy("Reverse the selected transactions"))
    def reverse_transactions(self, request: HttpRequest, queryset: QuerySet[Transaction]) -> None:
        if not is_finance(request.user) and not is_administrator(request.user):
            raise PermissionDenied
        reversals: dict[int, Transaction] = {}

        def reverse(original: Transaction) -> None:
            reversals[original.pk], _created = transaction_reverse(original=original, posted_by=request.user)

        each_selected(
            self,
            request,
            queryset,
            reverse,
            done=lambda original: _("Transaction #%(id)s is reversed by #%(reversal)s.")
            % {"id": original.pk, "reversal": reversals[original.pk].pk},
            name_refused=False,
        )

    def post_adjustment_view(self, request: HttpRequest) -> HttpResponse:
        if not is_finance(request.user) and not is_administrator(request.user):
            raise PermissionDenied
        form = AdjustmentForm(request.POST or None)
        lines = AdjustmentLineFormSet(request.POST or None, prefix="lines")
        if request.method == "POST" and form.is_valid() and lines.is_valid():
            try:
                txn, created = transaction_post(
                    lines=[Line(account=line["account"], amount=line["amount"]) for line in lines.filled_lines()],
                    date=form.cleaned_data["date"],
                    kind=TransactionKind.ADJUSTMENT,
                    memo=form.cleaned_data["memo"],
                    idempotency_key=f"adjustment:{form.cleaned_data['request_id']}",
                    posted_by=request.user,
                )
            except DomainError as refusal:
                form.add_error(None, refusal)
            else:
                if created:
                    self.message_user(request, _("Transaction #%(id)s is posted.") % {"id": txn.pk})
                else:
                    self.message_user(
                        request, _("This form was already sent: transaction #%(id)s was posted once.") % {"id": txn.pk}
                    )
                return HttpResponseRedirect(reverse("admin:ledger_transaction_change", args=[txn.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Post an adjustment"),
            "opts": self.model._meta,
            "adminform": admin_form(form),
            "media": admin_form_media(form),
            "lines": lines,
            "submit_label": _("Post"),
        }
        return TemplateResponse(request, "admin/ledger/transaction/adjustment.html", context)
