"""The importable and exportable models, by a French name, for the commands and the tasks."""

from grants.resources import DisbursementResource, FundingProgrammeResource, GrantResource, ReportRequirementResource
from ledger.resources import EntryResource, MembershipResource, PartyResource, PartyStatementResource
from sharedcosts.resources import (
    AllocationShareResource,
    CostPoolResource,
    ExpenseResource,
    InKindContributionResource,
    MeansDeclarationResource,
    ParticipationResource,
)

# In the order an empty database is filled.
IMPORTABLE = {
    "partenaires": PartyResource,
    "adhesions": MembershipResource,
    "moyens": MeansDeclarationResource,
    "regroupements": CostPoolResource,
    "participations": ParticipationResource,
    "depenses": ExpenseResource,
    "contributions": InKindContributionResource,
    "programmes": FundingProgrammeResource,
    "subventions": GrantResource,
    "rapports": ReportRequirementResource,
}
EXPORT_ONLY = {
    "transactions": EntryResource,
    "releves": PartyStatementResource,
    "repartitions": AllocationShareResource,
    "versements": DisbursementResource,
}
EXPORTABLE = {**IMPORTABLE, **EXPORT_ONLY}
