"""The back office of grants: thin screens over :mod:`grants.services`, one module per story.

Importing the modules registers their screens with the admin site, and the
models' names with their articles (:mod:`ledger.admin_words`).
"""

from django.utils.translation import gettext_lazy


from grants.admin import amendments, grants, instalments, programmes, reports
from grants.models import AmendmentProposal, FundingProgramme, Grant, Instalment, ProjectReport, ReminderSent, ReportRequirement
from ledger.admin_words import noun_phrases_register

noun_phrases_register(FundingProgramme, the=gettext_lazy("the funding programme"), a=gettext_lazy("a funding programme"), another=gettext_lazy("another funding programme"))
noun_phrases_register(Grant, the=gettext_lazy("the grant"), a=gettext_lazy("a grant"), another=gettext_lazy("another grant"))
noun_phrases_register(Instalment, the=gettext_lazy("the instalment"), a=gettext_lazy("an instalment"), another=gettext_lazy("another instalment"))
noun_phrases_register(ReportRequirement, the=gettext_lazy("the report requirement"), a=gettext_lazy("a report requirement"), another=gettext_lazy("another report requirement"))
noun_phrases_register(ProjectReport, the=gettext_lazy("the project report"), a=gettext_lazy("a project report"), another=gettext_lazy("another project report"))
noun_phrases_register(ReminderSent, the=gettext_lazy("the reminder sent"), a=gettext_lazy("a reminder sent"), another=gettext_lazy("another reminder sent"))
noun_phrases_register(AmendmentProposal, the=gettext_lazy("the proposed amendment"), a=gettext_lazy("a proposed amendment"), another=gettext_lazy("another proposed amendment"))

__all__ = ["amendments", "grants", "instalments", "programmes", "reports"]
