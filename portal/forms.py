"""The portal's forms: they check what was typed; :mod:`grants.services` decides."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants.errors import ReportError
from grants.models import BudgetLine, Grant, ReportContent, ReportRequirement
from grants.services import ATTACHMENT_MAX_BYTES, ReportData, attachment_check
from ledger.money_input import AmountField

PRIVACY_NOTE = gettext_lazy(
    "Describe activities, never young people: no names, initials, photos, ages with places or any detail "
    "that could identify a young person."
)

SPENDING_PREFIX = "spending_"
SUBMIT = "submit"
SAVE = "save"


class ReportForm(forms.Form):
    activities = forms.CharField(
        label=gettext_lazy("Activities carried out"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
        help_text=PRIVACY_NOTE,
    )
    what_worked = forms.CharField(
        label=gettext_lazy("What worked"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=PRIVACY_NOTE,
    )
    what_did_not = forms.CharField(
        label=gettext_lazy("What did not work"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=PRIVACY_NOTE,
    )
    partners_involved = forms.CharField(
        label=gettext_lazy("Partners involved (organisations)"), widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    youth_12_17 = forms.IntegerField(label=gettext_lazy("Young people reached aged 12–17"), min_value=0, required=False)
    youth_18_25 = forms.IntegerField(label=gettext_lazy("Young people reached aged 18–25"), min_value=0, required=False)
    activities_held = forms.IntegerField(label=gettext_lazy("Activities held"), min_value=0, required=False)
    municipalities_reached = forms.IntegerField(
        label=gettext_lazy("Municipalities reached"), min_value=0, required=False
    )
    attachment = forms.FileField(
        label=gettext_lazy("Attach a document"),
        required=False,
        help_text=gettext_lazy("PDF, image, spreadsheet or text document; 10 MB at most."),
    )
    versions = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    NARRATIVE_REQUIRED = ("activities", "what_worked", "what_did_not")
    INDICATORS = ("youth_12_17", "youth_18_25", "activities_held", "municipalities_reached")

    def __init__(self, *args, requirement: ReportRequirement, action: str = SAVE, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.requirement = requirement
        self.action = action
        grant: Grant = requirement.grant
        self.budget_lines = list(grant.budget_lines.all())
        self.spending_fields = []
        for line in self.budget_lines:
            name = f"{SPENDING_PREFIX}{line.line}"
            self.fields[name] = AmountField(
                label=_("Spent on “%(line)s”") % {"line": line.get_line_display()},
                min_value=Decimal("0"),
                max_digits=14,
                decimal_places=2,
                required=False,
            )
            self.spending_fields.append(name)
        for name in self.INDICATORS:
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})
        self.fields["attachment"].widget.attrs["accept"] = (
            ".pdf,.jpg,.jpeg,.png,.gif,.webp,.heic,.docx,.xlsx,.pptx,.odt,.ods,.odp,.doc,.xls,.rtf,.csv,.txt"
        )

    def narrative_fields(self):
        return [self[name] for name in ("activities", "what_worked", "what_did_not", "partners_involved")]

    def indicator_fields(self):
        return [self[name] for name in self.INDICATORS]

    def spending_bound_fields(self):
        return [(line, self[f"{SPENDING_PREFIX}{line.line}"]) for line in self.budget_lines]

    def fields_in_error(self):
        """The fields a failed save refused, in the page's order: the summary at the top links to each."""
        fields = [*self.narrative_fields(), *self.indicator_fields()]
        fields += [field for _line, field in self.spending_bound_fields()]
        return [field for field in [*fields, self["attachment"]] if field.errors]

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            if upload.size > ATTACHMENT_MAX_BYTES:
                raise forms.ValidationError(_("The file is larger than 10 MB."), code="attachment_too_big")
            try:
                attachment_check(upload)
            except ReportError as refusal:
                raise forms.ValidationError(refusal.messages, code=refusal.code) from None
        return upload

    def clean(self):
        cleaned = super().clean()
        known = {f"{SPENDING_PREFIX}{line.line}" for line in self.budget_lines}
        for key in self.data:
            if key.startswith(SPENDING_PREFIX) and key not in known:
                line = key[len(SPENDING_PREFIX):]
                label = dict(BudgetLine.choices).get(line, line)
                self.add_error(
                    None,
                    _("The spending line “%(line)s” is not in this grant’s budget.") % {"line": label},
                )
        if self.action == SUBMIT:
            content = self.requirement.content
            if content in (ReportContent.NARRATIVE, ReportContent.BOTH):
                for name in (*self.NARRATIVE_REQUIRED, *self.INDICATORS):
                    value = cleaned.get(name)
                    if name not in self.errors and (value is None or value == ""):
                        self.add_error(name, _("This field is required to submit the report."))
            if content in (ReportContent.FINANCIAL, ReportContent.BOTH) and self.spending_fields:
                if all(cleaned.get(name) is None for name in self.spending_fields) and not any(
                    name in self.errors for name in self.spending_fields
                ):
                    self.add_error(None, _("Give the spending of at least one budget line to submit the report."))
        return cleaned

    def report_data(self) -> ReportData:
        cleaned = self.cleaned_data
        return ReportData(
            activities=cleaned.get("activities") or "",
            what_worked=cleaned.get("what_worked") or "",
            what_did_not=cleaned.get("what_did_not") or "",
            partners_involved=cleaned.get("partners_involved") or "",
            youth_12_17=cleaned.get("youth_12_17"),
            youth_18_25=cleaned.get("youth_18_25"),
            activities_held=cleaned.get("activities_held"),
            municipalities_reached=cleaned.get("municipalities_reached"),
            spending={
                line.line: cleaned[f"{SPENDING_PREFIX}{line.line}"]
                for line in self.budget_lines
                if cleaned.get(f"{SPENDING_PREFIX}{line.line}") is not None
            },
        )
