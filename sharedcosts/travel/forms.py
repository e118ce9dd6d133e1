"""The travel's forms: a distance entered in either order, attendances that fit their meeting, a period and an equalisation."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ledger.money_input import NumberField
from sharedcosts.allocation import RULES
from sharedcosts.models import RULE_LABELS
from sharedcosts.travel.models import RoadDistance
from sharedcosts.travel.services import Presence, attendance_check, distance_check


class RoadDistanceForm(forms.ModelForm):
    """Staff enter the two places in any order; the row is stored with the smaller id first."""

    class Meta:
        model = RoadDistance
        fields = ["first", "second", "km"]
        field_classes = {"km": NumberField}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        one, other, km = data.get("first"), data.get("second"), data.get("km")
        if one is None or other is None or km is None:
            return data
        try:
            distance_check(one=one, other=other, km=km)
        except ValidationError as refusal:
            self.add_error("second", refusal)  # on a field, so the pair's constraint is not checked again
            return data
        if one.pk > other.pk:
            data["first"], data["second"] = other, one
        return data


class AttendanceFormSet(forms.BaseInlineFormSet):
    """Each attendance must fit the meeting as the form above it now says (member, format, vehicles)."""

    def clean(self) -> None:
        super().clean()
        meeting = self.instance
        if not meeting.group_id:
            return
        members = set(meeting.group.members.values_list("party_id", flat=True))
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("party") is None:
                continue
            presence = Presence(data["party"], data.get("mode"), data.get("vehicles") or 0)
            try:
                attendance_check(meeting_format=meeting.format, group=meeting.group, presence=presence, members=members)
            except ValidationError as refusal:
                form.add_error(None, refusal)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("from"), widget=_date_input())
    end = forms.DateField(label=_("to"), widget=_date_input())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(_("The period ends before it starts."))
        return data


class EqualiseForm(PeriodForm):
    rule = forms.ChoiceField(
        label=_("allocation rule"), choices=[(rule, RULE_LABELS.get(rule, rule)) for rule in RULES if rule != "fixed"]
    )
