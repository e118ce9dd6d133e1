"""The shared costs' models named three ways for the admin's sentences ("Ajouter une autre part répartie"); see ledger.admin_words."""

from django.utils.translation import gettext_lazy

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

noun_phrases_register(CostPool, the=gettext_lazy("the cost pool"), a=gettext_lazy("a cost pool"), another=gettext_lazy("another cost pool"))
noun_phrases_register(Participation, the=gettext_lazy("the participation"), a=gettext_lazy("a participation"), another=gettext_lazy("another participation"))
noun_phrases_register(Allocation, the=gettext_lazy("the allocation"), a=gettext_lazy("an allocation"), another=gettext_lazy("another allocation"))
noun_phrases_register(AllocationShare, the=gettext_lazy("the allocated share"), a=gettext_lazy("an allocated share"), another=gettext_lazy("another allocated share"))
noun_phrases_register(Expense, the=gettext_lazy("the shared expense"), a=gettext_lazy("a shared expense"), another=gettext_lazy("another shared expense"))
noun_phrases_register(InKindContribution, the=gettext_lazy("the in-kind contribution"), a=gettext_lazy("an in-kind contribution"), another=gettext_lazy("another in-kind contribution"))
noun_phrases_register(MeansDeclaration, the=gettext_lazy("the means declaration"), a=gettext_lazy("a means declaration"), another=gettext_lazy("another means declaration"))
noun_phrases_register(RecurringExpense, the=gettext_lazy("the recurring expense"), a=gettext_lazy("a recurring expense"), another=gettext_lazy("another recurring expense"))
noun_phrases_register(Municipality, the=gettext_lazy("the municipality"), a=gettext_lazy("a municipality"), another=gettext_lazy("another municipality"))
noun_phrases_register(RoadDistance, the=gettext_lazy("the road distance"), a=gettext_lazy("a road distance"), another=gettext_lazy("another road distance"))
noun_phrases_register(Premises, the=gettext_lazy("the premises"), a=gettext_lazy("new premises"), another=gettext_lazy("other premises"))
noun_phrases_register(MileageRate, the=gettext_lazy("the per-km rate"), a=gettext_lazy("a per-km rate"), another=gettext_lazy("another per-km rate"))
noun_phrases_register(MeetingGroup, the=gettext_lazy("the meeting group"), a=gettext_lazy("a meeting group"), another=gettext_lazy("another meeting group"))
noun_phrases_register(GroupMember, the=gettext_lazy("the group member"), a=gettext_lazy("a group member"), another=gettext_lazy("another group member"))
noun_phrases_register(Meeting, the=gettext_lazy("the meeting"), a=gettext_lazy("a meeting"), another=gettext_lazy("another meeting"))
noun_phrases_register(Attendance, the=gettext_lazy("the attendance"), a=gettext_lazy("an attendance"), another=gettext_lazy("another attendance"))
noun_phrases_register(TravelEqualisation, the=gettext_lazy("the travel equalisation"), a=gettext_lazy("a travel equalisation"), another=gettext_lazy("another travel equalisation"))
