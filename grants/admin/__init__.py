"""The back office of grants: thin screens over :mod:`grants.services`, one module per story.

Importing the modules registers their screens with the admin site, and the
models' names with their articles (:mod:`ledger.admin_words`).
"""

from django.utils.translation import gettext_lazy as _

from grants.admin import amendments, grants, instalments, programmes, reports
from grants.models import AmendmentProposal, FundingProgramme, Grant, Instalment, ProjectReport, ReminderSent, ReportRequirement
from ledger.admin_words import noun_phrases_register

noun_phrases_register(
    FundingProgramme, the=_("the funding programme"), a=_("a funding programme"), another=_("another funding programme"),
)
noun_phrases_register(Grant, the=_("the grant"), a=_("a grant"), another=_("another grant"))
noun_phrases_register(Instalment, the=_("the instalment"), a=_("an instalment"), another=_("another instalment"))
noun_phrases_register(
    ReportRequirement, the=_("the report requirement"), a=_("a report requirement"), another=_("another report requirement"),
)
noun_phrases_register(
    ProjectReport, the=_("the project report"), a=_("a project report"), another=_("another project report"),
)
noun_phrases_register(
    ReminderSent, the=_("the reminder sent"), a=_("a reminder sent"), another=_("another reminder sent"),
)
noun_phrases_register(
    AmendmentProposal, the=_("the proposed amendment"), a=_("a proposed amendment"), another=_("another proposed amendment"),
)

__all__ = ["amendments", "grants", "instalments", "programmes", "reports"]
