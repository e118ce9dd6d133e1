import uuid
from collections.abc import Mapping

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledger.account_words import accounts_names
from ledger.admin_forms import AdminDateField
from ledger.models import Account
from ledger.money_input import MoneyFormField


class AdjustmentForm(forms.Form):
    date = AdminDateField(label=_("Date"), initial=timezone.localdate)
    memo = forms.CharField(label=_("Memo"), max_length=500)
    # A fresh id per form shown: sending the same form twice posts once.
    request_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class AdjustmentLineForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.select_related("party"))
    amount = MoneyFormField(
        label=_("Amount"),
        max_digits=16,
        decimal_places=2,
        default_currency=settings.DEFAULT_CURRENCY,
        currency_choices=settings.CURRENCY_CHOICES,
        help_text=_("Positive in favour of the account's holder, negative against."),
    )


    def __init__(self, *args, account_names: Mapping[int, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].label_from_instance = lambda account: f"{account.code} · {account_names[account.pk]}"


class BaseAdjustmentLineFormSet(forms.BaseFormSet):
    """The lines of an adjustment; each account is named in the reader's language (:mod:`ledger.account_words`)."""

    default_error_messages = {"too_few_forms": _("An adjustment needs at least two lines.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        names = accounts_names(accounts=list(Account.objects.only("pk", "code", "name")))
        self.form_kwargs = {**self.form_kwargs, "account_names": names}

    def filled_lines(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data]


AdjustmentLineFormSet = forms.formset_factory(
    AdjustmentLineForm, formset=BaseAdjustmentLineFormSet, extra=4, min_num=2, validate_min=True
)
