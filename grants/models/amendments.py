"""A proposed amendment of a grant's money: proposed by one administrator, decided by another."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from simple_history.models import HistoricalRecords

from grants.models.grants import Grant, GrantAmendment
from grants.models.programmes import MONEY


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AmendmentProposal(models.Model):
    """A change of a grant's amount, budget or end date, waiting for a second administrator.

    Its inputs are frozen when it is proposed: the grant as it stood
    (``previous_*``) and what it becomes (``new_*``, the budget already
    worked out line by line). Approving applies exactly these; the database
    refuses any change to them, any change to a decided proposal, and an
    approval or a rejection by the administrator who proposed it.
    """

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="amendment_proposals", verbose_name=_("grant")
    )
    previous_amount = MoneyField(_("previous amount"), default_currency=settings.DEFAULT_CURRENCY, **MONEY)
    new_amount = MoneyField(_("new amount"), default_currency=settings.DEFAULT_CURRENCY, **MONEY)
    previous_end_date = models.DateField(_("previous end date"))
    new_end_date = models.DateField(_("new end date"))
    # Budget lines as {line: "amount"} in the grant's currency, zero lines left out.
    previous_budget = models.JSONField(_("previous budget"))
    new_budget = models.JSONField(_("new budget"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    amendment = models.OneToOneField(
        GrantAmendment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("amendment applied"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposed amendment")
        verbose_name_plural = _("proposed amendments")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_amount__gt=0),
                name="grants_proposal_new_amount_positive",
                violation_error_message=_("The new amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(status="proposed", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status="proposed") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="grants_proposal_decision_recorded",
                violation_error_message=_("A decided proposal records who decided and when; a waiting one, neither."),
            ),
            # Four eyes, held by the database: whoever proposed does not approve or reject, only withdraw.
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "rejected"]) | ~Q(decided_by=F("proposed_by")),
                name="grants_proposal_four_eyes",
                violation_error_message=_("A proposal is approved or rejected by someone other than its author."),
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(decided_by=F("proposed_by")),
                name="grants_proposal_withdrawn_by_proposer",
                violation_error_message=_("Only its author withdraws a proposal."),
            ),
            models.CheckConstraint(
                condition=Q(status="approved", amendment__isnull=False)
                | (~Q(status="approved") & Q(amendment__isnull=True)),
                name="grants_proposal_approved_has_amendment",
                violation_error_message=_("An approved proposal, and only such a proposal, has its amendment."),
            ),
            # One proposal waits at a time: each is proposed against the grant as it stands.
            models.UniqueConstraint(
                fields=["grant"],
                condition=Q(status="proposed"),
                name="grants_proposal_one_waiting_per_grant",
                violation_error_message=_("This grant already has a proposal waiting for a decision."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant.title} · {self.new_amount} · {self.get_status_display()}"
