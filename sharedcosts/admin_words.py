"""The shared costs' models named three ways for the admin's sentences ("Ajouter une autre part répartie").

See :mod:`ledger.admin_words`.
"""

from django.utils.translation import gettext_lazy as _

from ledger.admin_words import noun_phrases_register
from sharedcosts.models import (
    Allocation,
    AllocationShare,
    CostPool,
    Expense,
    InKindContribution,
    MeansDeclaration,
    Participation,
)
from sharedcosts.recurring.models import RecurringExpense
from sharedcosts.travel.models import (
    Attendance,
    GroupMember,
    Meeting,
    MeetingGroup,
    MileageRate,
    Municipality,
    Premises,
    RoadDistance,
    TravelEqualisation,
)

noun_phrases_register(CostPool, the=_("the cost pool"), a=_("a cost pool"), another=_("another cost pool"))
noun_phrases_register(
    Participation, the=_("the participation"), a=_("a participation"), another=_("another participation"),
)
noun_phrases_register(Allocation, the=_("the allocation"), a=_("an allocation"), another=_("another allocation"))
noun_phrases_register(
    AllocationShare, the=_("the allocated share"), a=_("an allocated share"), another=_("another allocated share"),
)
noun_phrases_register(
    Expense, the=_("the shared expense"), a=_("a shared expense"), another=_("another shared expense"),
)
noun_phrases_register(
    InKindContribution,
    the=_("the in-kind contribution"),
    a=_("an in-kind contribution"),
    another=_("another in-kind contribution"),
)
noun_phrases_register(
    MeansDeclaration, the=_("the means declaration"), a=_("a means declaration"), another=_("another means declaration"),
)
noun_phrases_register(
    RecurringExpense, the=_("the recurring expense"), a=_("a recurring expense"), another=_("another recurring expense"),
)
noun_phrases_register(Municipality, the=_("the municipality"), a=_("a municipality"), another=_("another municipality"))
noun_phrases_register(
    RoadDistance, the=_("the road distance"), a=_("a road distance"), another=_("another road distance"),
)
noun_phrases_register(Premises, the=_("the premises"), a=_("new premises"), another=_("other premises"))
noun_phrases_register(MileageRate, the=_("the per-km rate"), a=_("a per-km rate"), another=_("another per-km rate"))
noun_phrases_register(
    MeetingGroup, the=_("the meeting group"), a=_("a meeting group"), another=_("another meeting group"),
)
noun_phrases_register(GroupMember, the=_("the group member"), a=_("a group member"), another=_("another group member"))
noun_phrases_register(Meeting, the=_("the meeting"), a=_("a meeting"), another=_("another meeting"))
noun_phrases_register(Attendance, the=_("the attendance"), a=_("an attendance"), another=_("another attendance"))
noun_phrases_register(
    TravelEqualisation,
    the=_("the travel equalisation"),
    a=_("a travel equalisation"),
    another=_("another travel equalisation"),
)
