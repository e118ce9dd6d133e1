"""The forms of the recurring expenses' screens; every refusal is the service's own."""

from datetime import date

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ledger.admin_forms import AdminDateField
from ledger.errors import DomainError
from ledger.money_input import MoneyFormField, PercentField
from sharedcosts.recurring.models import RecurringExpense
from sharedcosts.recurring.services import recurring_check


class RecurringCreateForm(forms.ModelForm):
    """A new recurring expense, checked by the service itself."""

    dates = forms.CharField(
        label=gettext_lazy("given dates"),
        required=False,
        help_text=gettext_lazy("For the rhythm “on given dates”: YYYY-MM-DD, separated by commas."),
    )

    class Meta:
        model = RecurringExpense
        fields = [
            "pool",
            "payer",
            "vendor",
            "description",
            "amount",
            "rhythm",
            "start_date",
            "end_date",
            "indexation_rate",
        ]
        field_classes = {"indexation_rate": PercentField}

    def clean_dates(self) -> list[date]:
        text = self.cleaned_data.get("dates") or ""
        try:
            return [date.fromisoformat(part.strip()) for part in text.split(",") if part.strip()]
        except ValueError as error:
            raise forms.ValidationError(_("Write each date as YYYY-MM-DD.")) from error

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            recurring_check(
                pool=cleaned["pool"],
                payer=cleaned["payer"],
                amount=cleaned["amount"],
                rhythm=cleaned["rhythm"],
                start_date=cleaned["start_date"],
                end_date=cleaned.get("end_date"),
                dates=cleaned.get("dates") or [],
                indexation_rate=cleaned.get("indexation_rate"),
            )
        except DomainError as refusal:
            if refusal.code == "indexation_range":
                # Said beside the field, which also spares the table's check saying it again.
                self.add_error("indexation_rate", refusal.messages)
                return cleaned
            raise forms.ValidationError(refusal.messages) from refusal
        return cleaned


class AmendForm(forms.Form):
    effective_from = AdminDateField(label=gettext_lazy("From"))
    amount = MoneyFormField(
        label=gettext_lazy("New amount"),
        max_digits=14,
        decimal_places=2,
        default_currency=settings.DEFAULT_CURRENCY,
        currency_choices=settings.CURRENCY_CHOICES,
    )


class DayForm(forms.Form):
    """The one day a pause, a resumption or an early end takes effect."""

    day = AdminDateField()

    def __init__(self, *args, label: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].label = label
