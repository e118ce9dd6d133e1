"""The back office's forms for grants: they read what was typed; :mod:`grants.services` decides."""

from datetime import date

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from moneyed import Money

from grants.models import BudgetLine, Grant
from grants.services import grant_check
from ledger.admin_forms import AdminDateField
from ledger.errors import DomainError
from ledger.money_input import MoneyFormField


class GrantCreateForm(forms.ModelForm):
    """A new grant with its budget by line and its schedule; checked by the service itself."""

    dates = forms.CharField(
        label=gettext_lazy("given dates"),
        required=False,
        help_text=gettext_lazy("For a schedule by given dates: YYYY-MM-DD, separated by commas."),
    )

    class Meta:
        model = Grant
        fields = ["programme", "party", "title", "purpose", "amount", "start_date", "end_date", "frequency"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for line in BudgetLine:
            self.fields[f"budget_{line.value}"] = MoneyFormField(
                label=line.label,
                required=False,
                max_digits=14,
                decimal_places=2,
                default_currency=settings.DEFAULT_CURRENCY,
                currency_choices=settings.CURRENCY_CHOICES,
            )

    def clean_dates(self) -> list[date]:
        text = self.cleaned_data.get("dates") or ""
        try:
            return [date.fromisoformat(part.strip()) for part in text.split(",") if part.strip()]
        except ValueError as error:
            raise forms.ValidationError(_("Write each date as YYYY-MM-DD.")) from error

    def budget(self) -> dict[str, Money]:
        return {
            line.value: self.cleaned_data[f"budget_{line.value}"]
            for line in BudgetLine
            if self.cleaned_data.get(f"budget_{line.value}") is not None
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            grant_check(
                programme=cleaned["programme"],
                amount=cleaned["amount"],
                start_date=cleaned["start_date"],
                end_date=cleaned["end_date"],
                budget=self.budget(),
                frequency=cleaned["frequency"],
                dates=cleaned.get("dates"),
            )
        except DomainError as refusal:
            raise forms.ValidationError(refusal.messages) from refusal
        return cleaned


class AmendForm(forms.Form):
    amount = MoneyFormField(
        label=gettext_lazy("New amount"),
        max_digits=14,
        decimal_places=2,
        default_currency=settings.DEFAULT_CURRENCY,
        currency_choices=settings.CURRENCY_CHOICES,
    )
    end_date = AdminDateField(label=gettext_lazy("New end date"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, required=False)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment for the organisation (required to request changes)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
