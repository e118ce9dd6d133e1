"""The one registry of what is importable and exportable, by a French key.

The commands, the admin's background imports and the jobs name a resource by
its key here (``depenses``), never by its Python path, so renaming a class
does not break a job already queued.

This is the only module of the app that imports the domain apps, and only
their ``resources.py``. Those build on the app's base modules
(:mod:`spreadsheets.resources`, :mod:`spreadsheets.widgets`,
:mod:`spreadsheets.reading`), which never import this one: so the imports
go one way, registry → domain resources → base, with no circle.
"""

from django.utils.text import capfirst

from grants.resources import DisbursementResource, FundingProgrammeResource, GrantResource, ReportRequirementResource
from ledger.resources import EntryResource, MembershipResource, PartyResource, PartyStatementResource
from sharedcosts.resources import (
    AllocationShareResource,
    CostPoolResource,
    ExpenseResource,
    InKindContributionResource,
    MeansDeclarationResource,
    MunicipalityResource,
    ParticipationResource,
    PremisesResource,
    RoadDistanceResource,
)
from spreadsheets.resources import SpreadsheetResource

# The importable ones first, in the order an empty database is filled; then those exported only.
EXPORTABLE: dict[str, type[SpreadsheetResource]] = {
    "partenaires": PartyResource,
    "adhesions": MembershipResource,
    "moyens": MeansDeclarationResource,
    "regroupements": CostPoolResource,
    "participations": ParticipationResource,
    "depenses": ExpenseResource,
    "contributions": InKindContributionResource,
    "municipalites": MunicipalityResource,
    "distances": RoadDistanceResource,
    "locaux": PremisesResource,
    "programmes": FundingProgrammeResource,
    "subventions": GrantResource,
    "rapports": ReportRequirementResource,
    "transactions": EntryResource,
    "releves": PartyStatementResource,
    "repartitions": AllocationShareResource,
    "versements": DisbursementResource,
}
IMPORTABLE: dict[str, type[SpreadsheetResource]] = {
    key: resource for key, resource in EXPORTABLE.items() if resource.importable
}


def importable_choices() -> list[tuple[str, str]]:
    """``(key, the model's plural name)`` of each importable resource, by name, for a form's choices (with a capital, as a label)."""
    named = [(key, capfirst(resource._meta.model._meta.verbose_name_plural)) for key, resource in IMPORTABLE.items()]
    return sorted(named, key=lambda choice: choice[1])


def resource_key(resource: type[SpreadsheetResource]) -> str:
    """The key of an importable resource, as a job names it."""
    return next(key for key, importable in IMPORTABLE.items() if importable is resource)
