"""The proposed amendments' screen: each one read in words, approved or rejected by another administrator, or withdrawn."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from grants.models import AmendmentProposal
from grants.selectors import amendment_changes
from grants.services import amendment_approve, amendment_reject, amendment_withdraw
from ledger.admin_actions import each_selected


def changes_in_words(proposal: AmendmentProposal) -> SafeString:
    return format_html_join("", "<p>{}</p>", ((change,) for change in amendment_changes(proposal=proposal)))


@admin.register(AmendmentProposal)
class AmendmentProposalAdmin(SimpleHistoryAdmin):
    list_display = ["grant", "changes", "status", "proposed_by", "proposed_at", "decided_by", "decided_at"]
    list_filter = ["status", "grant__programme"]
    search_fields = ["grant__title", "grant__party__name", "reason"]
    list_select_related = ["grant__party", "proposed_by", "decided_by"]
    fields = ["grant", "changes", "reason", "status", "proposed_by", "proposed_at", "decided_by", "decided_at", "amendment"]
    readonly_fields = fields
    actions = ["approve_proposals", "reject_proposals", "withdraw_proposals"]

    # Proposals are made from their grant's page, decided by the actions below, and never edited or deleted.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AmendmentProposal | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AmendmentProposal | None = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("changes"))
    def changes(self, proposal: AmendmentProposal) -> SafeString:
        return changes_in_words(proposal)

    @admin.action(description=gettext_lazy("Approve the selected amendments (applies them)"))
    def approve_proposals(self, request: HttpRequest, queryset: QuerySet[AmendmentProposal]) -> None:
        each_selected(
            self,
            request,
            queryset,
            lambda proposal: amendment_approve(proposal=proposal, approved_by=request.user),
            done=lambda proposal: _("The amendment of %(title)s is approved and applied.") % {"title": proposal.grant.title},
        )

    @admin.action(description=gettext_lazy("Reject the selected amendments"))
    def reject_proposals(self, request: HttpRequest, queryset: QuerySet[AmendmentProposal]) -> None:
        each_selected(
            self,
            request,
            queryset,
            lambda proposal: amendment_reject(proposal=proposal, rejected_by=request.user),
            done=lambda proposal: _("The amendment of %(title)s is rejected.") % {"title": proposal.grant.title},
        )

    @admin.action(description=gettext_lazy("Withdraw the selected amendments (your own)"))
    def withdraw_proposals(self, request: HttpRequest, queryset: QuerySet[AmendmentProposal]) -> None:
        each_selected(
            self,
            request,
            queryset,
            lambda proposal: amendment_withdraw(proposal=proposal, withdrawn_by=request.user),
            done=lambda proposal: _("The amendment of %(title)s is withdrawn.") % {"title": proposal.grant.title},
        )
