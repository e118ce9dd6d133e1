"""A pool's rule and its parameters as people fill them: one field each, named in words.

The pool keeps its parameters as JSON (``{"base_fraction": "0.5"}``); nobody
types that. Each parameter is a field of its own, marked with the rule that
takes it (``data-rule``) so the page shows only those of the chosen rule
(``static/js/rule_params.js``); the form writes the JSON back.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ledger.errors import DomainError
from ledger.models import Party
from ledger.money_input import AmountField, MoneyFormField, NumberField, PercentageField
from ledger.words import de_name
from sharedcosts.models import RULE_CHOICES, CostPool, Expense
from sharedcosts.services import expense_check

HUNDRED = Decimal(100)
RULE_SELECT = {"data-rule-select": ""}


def _marked(field: forms.Field, rule: str) -> forms.Field:
    field.widget.attrs["data-rule"] = rule
    return field


def _plain(value: Decimal) -> str:
    """A decimal as the JSON keeps it: ``0.5``, ``100000``, never ``1E+5``."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def rule_params_field_names(parties: Sequence[Party]) -> list[str]:
    """The names of the parameter fields, in the order they are shown."""
    per_party = [name for party in parties for name in (f"percentage_{party.pk}", f"amount_{party.pk}")]
    return ["base_fraction", "threshold", *per_party]


def pool_parties(pool: CostPool) -> list[Party]:
    return [p.party for p in pool.participations.select_related("party")] if pool.pk else []


class RuleParamsMixin:
    """Adds the parameter fields of every rule to a form with a ``rule`` field, and reads them back."""

    def rule_params_fields(self, *, parties: Sequence[Party], params: dict[str, Any]) -> None:
        self.rule_parties = list(parties)
        fraction = params.get("base_fraction")
        self.fields["base_fraction"] = _marked(
            PercentageField(
                label=gettext_lazy("Fixed part shared equally (%)"),
                help_text=gettext_lazy("The rest is shared in proportion to means."),
                min_value=Decimal(0), max_value=HUNDRED, max_digits=5, decimal_places=2, required=False,
                initial=None if fraction in (None, "") else Decimal(str(fraction)) * HUNDRED,
            ),
            "base_plus_proportional",
        )
        threshold = params.get("threshold")
        self.fields["threshold"] = _marked(
            NumberField(
                label=gettext_lazy("Threshold of means"),
                help_text=gettext_lazy("Each party pays in proportion to its means above this threshold."),
                min_value=Decimal(0), max_digits=14, decimal_places=2, required=False,
                initial=None if threshold in (None, "") else Decimal(str(threshold)),
            ),
            "progressive",
        )
        percentages = params.get("percentages") or {}
        amounts = params.get("amounts") or {}
        for party in self.rule_parties:
            percentage = percentages.get(str(party.pk))
            self.fields[f"percentage_{party.pk}"] = _marked(
                PercentageField(
                    label=_("Percentage of %(of_party)s") % {"of_party": de_name(party.name)},
                    min_value=Decimal(0), max_value=HUNDRED, max_digits=5, decimal_places=2, required=False,
                    initial=None if percentage is None else Decimal(str(percentage)),
                ),
                "fixed",
            )
            amount = amounts.get(str(party.pk))
            self.fields[f"amount_{party.pk}"] = _marked(
                AmountField(
                    label=_("Agreed amount of %(of_party)s") % {"of_party": de_name(party.name)},
                    min_value=Decimal(0), max_digits=14, decimal_places=2, required=False,
                    initial=None if amount is None else Decimal(str(amount)),
                ),
                "fixed",
            )
        self.fields["rule"].widget.attrs.update(RULE_SELECT)

    def _missing(self, name: str, message: str) -> bool:
        """Whether the parameter ``name`` has no value; refused with ``message`` unless its field refused it already."""
        if self.cleaned_data.get(name) is not None:
            return False
        if name not in self.errors:
            self.add_error(name, message)
        return True

    def rule_params_read(self) -> dict[str, Any]:
        """The parameters of the chosen rule as the pool keeps them; a missing one refused on its field, once."""
        cleaned = self.cleaned_data
        rule = cleaned.get("rule")
        if rule == "base_plus_proportional":
            if self._missing("base_fraction", _("This rule needs the fixed part shared equally.")):
                return {}
            return {"base_fraction": _plain(cleaned["base_fraction"] / HUNDRED)}
        if rule == "progressive":
            if self._missing("threshold", _("This rule needs a threshold of means.")):
                return {}
            return {"threshold": _plain(cleaned["threshold"])}
        if rule == "fixed":
            return self._fixed_params()
        return {}

    def _fixed_params(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        percentages = {str(p.pk): cleaned.get(f"percentage_{p.pk}") for p in self.rule_parties}
        amounts = {str(p.pk): cleaned.get(f"amount_{p.pk}") for p in self.rule_parties}
        has_percentages = any(value is not None for value in percentages.values())
        has_amounts = any(value is not None for value in amounts.values())
        if has_percentages == has_amounts:
            self.add_error(
                None,
                _("Give each party either a percentage or an agreed amount, one of the two.")
                if has_amounts
                else _("Give each party its percentage or its agreed amount."),
            )
            return {}
        chosen, key = (percentages, "percentages") if has_percentages else (amounts, "amounts")
        return {key: {party: _plain(value or Decimal(0)) for party, value in chosen.items()}}


class CostPoolForm(RuleParamsMixin, forms.ModelForm):
    """The pool in the admin: its rule's parameters one field each, the JSON written from them."""

    class Meta:
        model = CostPool
        exclude = ["rule_params"]
        field_classes = {"budgeted_cost": MoneyFormField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rule_params_fields(parties=pool_parties(self.instance), params=self.instance.rule_params or {})

    def clean(self) -> dict:
        cleaned = super().clean()
        self.instance.rule_params = self.rule_params_read()
        return cleaned


class WhatIfForm(RuleParamsMixin, forms.Form):
    """Another rule for a pool, in the review: nothing is saved."""

    rule = forms.ChoiceField(label=gettext_lazy("Rule"), choices=RULE_CHOICES)

    def __init__(self, *args, pool: CostPool, parties: Sequence[Party], **kwargs) -> None:
        super().__init__(*args, initial={"rule": pool.rule}, auto_id=f"what-if-{pool.pk}-%s", **kwargs)
        self.rule_params_fields(parties=parties, params=pool.rule_params or {})

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["params"] = self.rule_params_read()
        return cleaned


class ExpenseForm(forms.ModelForm):
    """An expense typed in the back office, refused at once for what its posting would refuse (the service's check)."""

    # Each refusal of the check, shown under the field that causes it.
    REFUSED_FIELD = {
        "not_participant": "payer",
        "currency_mismatch": "amount",
        "amount_too_large": "amount",
        "not_positive": "amount",
    }

    class Meta:
        model = Expense
        fields = ["pool", "payer", "vendor", "date", "amount", "description", "document"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors or self.instance.transaction_id is not None:
            return cleaned
        expense = Expense(pool=cleaned["pool"], payer=cleaned["payer"], amount=cleaned["amount"])
        try:
            expense_check(expense=expense)
        except DomainError as refusal:
            self.add_error(self.REFUSED_FIELD.get(refusal.code), refusal)
        return cleaned
