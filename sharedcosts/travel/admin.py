"""The travel's screens: places, distances, rates, groups with their rotation page, meetings and attendance.

Thin: the rotation page reads :func:`~sharedcosts.travel.rotation.group_rotation`
and its equalisation button calls :func:`~sharedcosts.travel.services.travel_equalise`.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from ledger.errors import DomainError
from ledger.words import km_words
from sharedcosts.travel.display import rotation_context
from sharedcosts.travel.forms import AttendanceFormSet, EqualiseForm, PeriodForm, RoadDistanceForm
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
from sharedcosts.travel.resources import MunicipalityResource, PremisesResource, RoadDistanceResource
from sharedcosts.travel.rotation import group_rotation, rotation_default_period
from sharedcosts.travel.services import travel_equalise
from spreadsheets.formats import SpreadsheetImportExportMixin as ImportExportMixin


@admin.register(Municipality)
class MunicipalityAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [MunicipalityResource]
    search_fields = ["name"]


@admin.register(RoadDistance)
class RoadDistanceAdmin(ImportExportMixin, SimpleHistoryAdmin):
    form = RoadDistanceForm
    resource_classes = [RoadDistanceResource]
    list_display = ["first", "second", "km"]
    list_select_related = ["first", "second"]
    search_fields = ["first__name", "second__name"]
    autocomplete_fields = ["first", "second"]


@admin.register(Premises)
class PremisesAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [PremisesResource]
    list_display = ["party", "municipality", "address"]
    list_filter = ["municipality"]
    list_select_related = ["party", "municipality"]
    search_fields = ["party__name", "municipality__name"]
    autocomplete_fields = ["party", "municipality"]


@admin.register(MileageRate)
class MileageRateAdmin(SimpleHistoryAdmin):
    list_display = ["effective_from", "per_km", "source"]


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    autocomplete_fields = ["party"]


@admin.register(MeetingGroup)
class MeetingGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "rotation_link"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [GroupMemberInline]

    @admin.display(description=gettext_lazy("rotation"))
    def rotation_link(self, group: MeetingGroup) -> str:
        url = reverse("admin:sharedcosts_meetinggroup_rotation", args=[group.pk])
        return format_html('<a href="{}">{}</a>', url, _("Rotation and travel"))

    def get_urls(self):
        return [
            path("<int:pk>/rotation/", self.admin_site.admin_view(self.rotation_view), name="sharedcosts_meetinggroup_rotation"),
            *super().get_urls(),
        ]

    def rotation_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = get_object_or_404(MeetingGroup, pk=pk)
        if not self.has_view_permission(request, group):
            raise PermissionDenied
        start, end = rotation_default_period(group=group, today=timezone.localdate())
        period = PeriodForm(request.GET or None, initial={"start": start, "end": end})
        if period.is_valid():
            start, end = period.cleaned_data["start"], period.cleaned_data["end"]
        equalise = EqualiseForm(request.POST or None, initial={"start": start, "end": end, "rule": "equal"})
        if request.method == "POST":
            if not self.has_change_permission(request, group):
                raise PermissionDenied
            if equalise.is_valid():
                try:
                    equalisation = travel_equalise(
                        group=group,
                        start=equalise.cleaned_data["start"],
                        end=equalise.cleaned_data["end"],
                        rule=equalise.cleaned_data["rule"],
                        prepared_by=request.user,
                    )
                except DomainError as refusal:
                    equalise.add_error(None, refusal)
                else:
                    self.message_user(
                        request,
                        _("The travel is in the pool %(pool)s; compute, approve and post its allocation as for any pool.")
                        % {"pool": equalisation.pool.name},
                    )
                    return HttpResponseRedirect(reverse("admin:sharedcosts_costpool_change", args=[equalisation.pool_id]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Rotation and travel of %(group)s") % {"group": group.name},
            "opts": self.model._meta,
            "group": group,
            "period": period,
            "equalise": equalise,
            "equalisations": TravelEqualisation.objects.filter(group=group).select_related("pool"),
        }
        try:
            context["travel"] = rotation_context(group_rotation(group=group, start=start, end=end), uid=f"group-{group.pk}")
        except DomainError as refusal:
            context["error"] = refusal.messages[0]
        return TemplateResponse(request, "admin/sharedcosts/meetinggroup/rotation.html", context)


class AttendanceInline(admin.TabularInline):
    model = Attendance
    formset = AttendanceFormSet
    extra = 0
    autocomplete_fields = ["party"]
    fields = ["party", "mode", "vehicles"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "group", "host", "format", "subject"]
    list_filter = ["group", "format", "host"]
    list_select_related = ["group", "host"]
    search_fields = ["subject", "group__name", "host__name"]
    autocomplete_fields = ["host"]
    date_hierarchy = "date"
    inlines = [AttendanceInline]


@admin.register(TravelEqualisation)
class TravelEqualisationAdmin(admin.ModelAdmin):
    """Made by the rotation page's equalisation, never edited: its pool's expenses are posted."""

    list_display = ["group", "start", "end", "pool", "km_travelled", "prepared_by"]
    list_select_related = ["group", "pool", "prepared_by"]
    readonly_fields = ["group", "start", "end", "pool", "km_travelled", "prepared_by", "prepared_at"]
    fields = readonly_fields

    @admin.display(description=gettext_lazy("km travelled"), ordering="km")
    def km_travelled(self, equalisation: TravelEqualisation) -> str:
        return km_words(equalisation.km)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TravelEqualisation | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: TravelEqualisation | None = None) -> bool:
        return False
