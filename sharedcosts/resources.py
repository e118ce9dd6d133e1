"""Import and export of cost pools, participations, means, expenses and in-kind contributions.

An imported expense is recorded and posted to the ledger by the same service
as one typed in the admin, in the same database transaction, under the key
of its reference: the "référence" column of an export, or one read from the
row's content. The same rows imported twice post nothing the second time,
and the report says how many rows had already been imported.
"""

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from moneyed import Money

from ledger.models import Party
from spreadsheets.resources import BulkSpreadsheetResource, SpreadsheetResource, column
from spreadsheets.widgets import (
    BooleanWidget,
    ChoiceWidget,
    CurrencyWidget,
    DateWidget,
    DecimalWidget,
    JSONWidget,
    LookupWidget,
    MoneyAmountWidget,
    ReferenceWidget,
    cell_text,
    currency_left_to_pool,
)
from sharedcosts.models import (
    RULE_CHOICES,
    AllocationShare,
    AllocationStatus,
    CostPool,
    Expense,
    InKindContribution,
    Measure,
    MeansDeclaration,
    Participation,
    PoolKind,
)
from sharedcosts.selectors import param_named, rule_params_in_words
from sharedcosts.services import expenses_record, means_record, means_refusals
from sharedcosts.services.expenses import EXPENSE_CURRENCY_REFUSAL, IN_KIND_CURRENCY_REFUSAL
from sharedcosts.services.pools import pool_currency_refusal


def _party() -> LookupWidget:
    return LookupWidget(Party, "name", what=gettext_lazy("party"))


def _pool() -> LookupWidget:
    return LookupWidget(CostPool, "name", what=gettext_lazy("cost pool"))


class RuleParamsWidget(JSONWidget):
    """A pool's rule parameters: the file keeps the JSON the import reads, the preview names them in words.

    ``{"base_fraction": "0.5"}`` is shown ``part fixe répartie à parts égales : 50 %``
    (:func:`sharedcosts.selectors.rule_params_in_words`, as on an allocation's page).
    The parameters given per party (a fixed rule's amounts or percentages,
    floors, caps) are kept by party id, but the file names the parties: an id
    would name another partner, or none, in another database.
    """

    def __init__(self) -> None:
        super().__init__()
        self.parties = _party()

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> dict:
        params = super().clean(value, row, **kwargs)
        return {
            name: {str(self.parties.clean(party).pk): figure for party, figure in given.items()} if isinstance(given, dict) else given
            for name, given in params.items()
        }

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        ids = {int(key) for given in (value or {}).values() if isinstance(given, dict) for key in given if str(key).isdigit()}
        names = {str(pk): party.name for pk, party in Party.objects.in_bulk(ids).items()} if ids else {}
        named = {
            name: {names.get(str(key), key): figure for key, figure in given.items()} if isinstance(given, dict) else given
            for name, given in (value or {}).items()
        }
        return super().render(named, obj, **kwargs)

    def shown(self, value: Any, obj: CostPool | None = None) -> str:
        currency = str(obj.budgeted_cost_currency) if obj is not None else settings.DEFAULT_CURRENCY
        return "; ".join(param_named(name, text) for name, text in rule_params_in_words(params=value or {}, currency=currency))


class CostPoolResource(SpreadsheetResource):
    name = column("name", "nom")
    kind = column("kind", "type", ChoiceWidget(PoolKind))
    budgeted_cost = column("budgeted_cost", "coût budgété", MoneyAmountWidget())
    currency = column("budgeted_cost_currency", "devise", CurrencyWidget(amount_column="coût budgété"))
    start_date = column("start_date", "début", DateWidget())
    end_date = column("end_date", "fin", DateWidget())
    measure = column("measure", "mesure", ChoiceWidget(Measure))
    measure_name = column("measure_name", "nom de la mesure")
    rule = column("rule", "règle", ChoiceWidget(RULE_CHOICES))
    rule_params = column("rule_params", "paramètres", RuleParamsWidget())
    tolerance_low = column("tolerance_low", "effort minimal", DecimalWidget())
    tolerance_high = column("tolerance_high", "effort maximal", DecimalWidget())
    required_columns = ("nom", "type", "coût budgété", "début", "fin")
    example = {"nom": "Local partagé 2025-2026", "type": "premises", "coût budgété": "36 000,00 $", "devise": "CAD", "début": "2025-04-01", "fin": "2026-03-31", "mesure": "annual_budget", "règle": "proportional"}

    class Meta(SpreadsheetResource.Meta):
        model = CostPool
        import_id_fields = ["name"]
        fields = [
            "name", "kind", "budgeted_cost", "currency", "start_date", "end_date",
            "measure", "measure_name", "rule", "rule_params", "tolerance_low", "tolerance_high",
        ]  # fmt: skip
        export_order = fields

    def get_queryset(self) -> Any:
        return CostPool.objects.order_by("name")


class ParticipationResource(SpreadsheetResource):
    pool = column("pool", "regroupement", _pool())
    party = column("party", "partenaire", _party())
    usage = column("usage", "usage", DecimalWidget())
    floor = column("floor", "plancher", MoneyAmountWidget())
    cap = column("cap", "plafond", MoneyAmountWidget())
    is_exempt = column("is_exempt", "exempté", BooleanWidget())
    required_columns = ("regroupement", "partenaire")
    example = {"regroupement": "Local partagé 2025-2026", "partenaire": "Maison des jeunes de Saint-Jérôme", "exempté": "non"}

    class Meta(SpreadsheetResource.Meta):
        model = Participation
        import_id_fields = ["pool", "party"]
        fields = ["pool", "party", "usage", "floor", "cap", "is_exempt"]
        export_order = fields

    def get_queryset(self) -> Any:
        return Participation.objects.select_related("pool", "party").order_by("pool__name", "party__name")

    def import_field(self, field: Any, instance: Participation, row: dict[str, Any], is_m2m: bool = False, **kwargs: Any) -> None:
        if field.attribute not in ("floor", "cap"):
            return super().import_field(field, instance, row, is_m2m, **kwargs)
        amount = field.clean(row, **kwargs)
        if amount is None or not instance.pool_id:
            setattr(instance, field.attribute, None)
            setattr(instance, f"{field.attribute}_currency", None)
        else:
            setattr(instance, field.attribute, Money(amount, instance.pool.currency))


class MeansDeclarationResource(BulkSpreadsheetResource):
    """Means checked row by row by the rules of :func:`sharedcosts.services.means_declare`
    (:func:`~sharedcosts.services.means_refusals`), then recorded at once by
    :func:`~sharedcosts.services.means_record`, which checks them again."""

    party = column("party", "partenaire", _party())
    measure = column("measure", "mesure", ChoiceWidget(Measure))
    measure_name = column("measure_name", "nom de la mesure")
    value = column("value", "valeur", DecimalWidget())
    as_of = column("as_of", "date", DateWidget())
    source = column("source", "source")
    required_columns = ("partenaire", "valeur", "date", "source")
    example = {"partenaire": "Maison des jeunes de Saint-Jérôme", "mesure": "annual_budget", "valeur": "412 500,00 $", "date": "2025-03-31", "source": "États financiers audités 2024-2025"}

    class Meta(BulkSpreadsheetResource.Meta):
        model = MeansDeclaration
        import_id_fields = ["party", "measure", "measure_name", "as_of", "source"]
        fields = ["party", "measure", "measure_name", "value", "as_of", "source"]
        export_order = fields

    def get_queryset(self) -> Any:
        return MeansDeclaration.objects.select_related("party").order_by("party__name", "as_of", "measure", "source", "id")

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        super().before_import_row(row, **kwargs)
        row.setdefault("nom de la mesure", "")
        if not str(row.get("mesure") or "").strip():
            row["mesure"] = Measure.ANNUAL_BUDGET

    def import_instance(self, instance: MeansDeclaration, row: dict[str, Any], **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        if instance.party_id is not None and instance.value is not None:
            refusals = means_refusals(party=instance.party, value=instance.value, source=instance.source or "")
            if refusals:
                raise ValidationError(refusals)

    def instances_write(self, *, created: list[MeansDeclaration], updated: list[MeansDeclaration]) -> None:
        means_record(declarations=[*created, *updated], declared_by=self.import_user)


def _row_reference(parts: list[str]) -> uuid.UUID:
    """The reference of a row that has none, read from its content: the same row imported twice is one expense.

    It is the start of the hash imports used before references existed, so a
    file imported then is recognised now.
    """
    return uuid.UUID(hex=hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32])


def _differences(stored: Expense, read: Expense) -> list[str]:
    fields = ("pool", "payer", "vendor", "date", "amount", "description")
    return [
        _("%(field)s: %(stored)s → %(read)s")
        % {"field": Expense._meta.get_field(name).verbose_name, "stored": getattr(stored, name), "read": getattr(read, name)}
        for name in fields
        if getattr(stored, name) != getattr(read, name)
    ]


class ExpenseResource(BulkSpreadsheetResource):
    """Expenses read and checked row by row, then recorded and posted by :func:`sharedcosts.services.expenses_record`.

    A row names its expense by its "référence" (an export writes it), or by
    its content when the cell is empty: an expense typed in the admin then
    exported, or a file imported twice, is never posted again.
    """

    pool = column("pool", "regroupement", _pool())
    payer = column("payer", "payé par", _party())
    vendor = column("vendor", "fournisseur")
    date = column("date", "date", DateWidget())
    amount = column("amount", "montant", MoneyAmountWidget())
    currency = column("amount_currency", "devise", CurrencyWidget(amount_column="montant"))
    description = column("description", "description")
    reference = column("reference", "référence", ReferenceWidget())
    required_columns = ("regroupement", "payé par", "fournisseur", "date", "montant")
    example = {"regroupement": "Local partagé 2025-2026", "payé par": "Maison des jeunes de Saint-Jérôme", "fournisseur": "Immeubles Laurentides inc.", "date": "2025-04-01", "montant": "3 000,00 $", "devise": "CAD", "description": "Loyer d’avril"}

    class Meta(BulkSpreadsheetResource.Meta):
        model = Expense
        force_init_instance = True
        fields = ["pool", "payer", "vendor", "date", "amount", "currency", "description", "reference"]
        export_order = fields

    def get_queryset(self) -> Any:
        return Expense.objects.select_related("pool", "payer").order_by("date", "pool__name", "payer__name", "vendor", "id")

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self._participants = set(Participation.objects.values_list("pool_id", "party_id"))
        self._lines: dict[uuid.UUID, int] = {}
        given = []
        if "référence" in (dataset.headers or []):
            for cell in dataset["référence"]:
                try:
                    given.append(ReferenceWidget().clean(cell))
                except ValueError:
                    continue  # the row's own import reports it on its column
        self._recorded = {
            expense.reference: expense
            for expense in Expense.objects.filter(reference__in=[ref for ref in given if ref]).select_related("pool", "payer")
        }

    def import_instance(self, instance: Expense, row: dict[str, Any], **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        if not (instance.pool_id and instance.payer_id and instance.date and instance.__dict__.get("amount") is not None):
            return
        pool, payer = instance.pool, instance.payer
        if currency_left_to_pool(row, amount_column="montant", currency_column="devise"):
            instance.amount = Money(instance.amount.amount, pool.currency)
        errors = {}
        if refusal := pool_currency_refusal(pool=pool, amount=instance.amount, refusal=EXPENSE_CURRENCY_REFUSAL):
            errors["amount_currency"] = refusal
        if (pool.pk, payer.pk) not in self._participants:
            errors["payer"] = _("%(party)s does not take part in the pool %(pool)s.") % {"party": payer.name, "pool": pool.name}
        if errors:
            raise ValidationError(errors)
        if not cell_text(row.get("référence", "")):
            instance.reference = _row_reference(
                [pool.name, payer.name, instance.vendor, instance.date.isoformat(), str(instance.amount.amount), instance.amount_currency, instance.description],
            )
        stored = self._recorded.get(instance.reference)
        if stored is not None and _differences(stored, instance):
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _(
                            "This reference names an expense already posted, with other values (%(changes)s). "
                            "A posted expense is not changed by an import: correct it by a reversal."
                        )
                        % {"changes": "; ".join(_differences(stored, instance))}
                    ]
                }
            )
        number = kwargs.get("row_number", 0)
        line = self.line_numbers[number - 1] if self.line_numbers and number else number
        first = self._lines.setdefault(instance.reference, line)
        if first != line:
            raise ValidationError({NON_FIELD_ERRORS: [_("This row repeats row %(row)s.") % {"row": first}]})

    def instances_write(self, *, created: list[Expense], updated: list[Expense]) -> None:
        """Record and post the expenses through the service, which passes over those recorded already."""
        recorded = expenses_record(expenses=created, posted_by=self.import_user)
        self.already_imported += len(created) - len(recorded)


class InKindContributionResource(SpreadsheetResource):
    """In-kind contributions are recorded from a file; an administrator credits them in the ledger.

    Crediting needs the party's posted share (``in_kind_post``), so an import
    records the contribution only; a contribution already credited is never
    changed by an import.
    """

    pool = column("pool", "regroupement", _pool())
    party = column("party", "partenaire", _party())
    description = column("description", "description")
    value = column("value", "valeur", MoneyAmountWidget())
    currency = column("value_currency", "devise", CurrencyWidget(amount_column="valeur"))
    justification = column("justification", "justification")
    date = column("date", "date", DateWidget())
    reference = column("reference", "référence", ReferenceWidget())
    required_columns = ("regroupement", "partenaire", "description", "valeur", "justification", "date")
    example = {"regroupement": "Local partagé 2025-2026", "partenaire": "Maison des jeunes de Saint-Jérôme", "description": "Salle prêtée les mardis soir", "valeur": "1 200,00", "devise": "CAD", "justification": "Tarif de location municipal de la salle, 40 soirées", "date": "2025-06-30"}

    class Meta(SpreadsheetResource.Meta):
        model = InKindContribution
        import_id_fields = ["pool", "party", "description", "date"]
        fields = ["pool", "party", "description", "value", "currency", "justification", "date", "reference"]
        export_order = fields

    def get_instance(self, instance_loader: Any, row: dict[str, Any]) -> InKindContribution | None:
        """The contribution the row's reference names, whichever way it was entered; else the one its content names."""
        try:
            reference = ReferenceWidget().clean(row.get("référence", ""))
        except ValueError:
            return None  # the row's own import reports it on its column
        if reference is None:
            return super().get_instance(instance_loader, row)
        return InKindContribution.objects.filter(reference=reference).select_related("pool", "party").first()

    def get_queryset(self) -> Any:
        return InKindContribution.objects.select_related("pool", "party").order_by("date", "pool__name", "party__name", "id")

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self._participants = set(Participation.objects.values_list("pool_id", "party_id"))

    def import_instance(self, instance: InKindContribution, row: dict[str, Any], **kwargs: Any) -> None:
        credited = instance.pk is not None and instance.transaction_id is not None
        before = (instance.value, instance.justification) if credited else None
        super().import_instance(instance, row, **kwargs)
        value = instance.__dict__.get("value")
        if not (instance.pool_id and instance.party_id and value is not None):
            return
        pool, party = instance.pool, instance.party
        if currency_left_to_pool(row, amount_column="valeur", currency_column="devise"):
            instance.value = Money(instance.value.amount, pool.currency)
        errors = {}
        if refusal := pool_currency_refusal(pool=pool, amount=instance.value, refusal=IN_KIND_CURRENCY_REFUSAL):
            errors["value_currency"] = refusal
        if (pool.pk, party.pk) not in self._participants:
            errors["party"] = _("%(party)s does not take part in the pool %(pool)s.") % {"party": party.name, "pool": pool.name}
        if instance.value.amount <= 0:
            errors["value"] = _("An in-kind contribution must be worth more than zero.")
        if credited and before != (instance.value, instance.justification):
            errors[NON_FIELD_ERRORS] = [_("This contribution is already credited in the ledger and cannot be changed.")]
        if errors:
            raise ValidationError(errors)


class AllocationShareResource(SpreadsheetResource):
    """Export only: each version of each pool's allocation, one line per party's share."""

    importable = False

    pool = column("allocation__pool__name", "regroupement")
    version = column("allocation__version", "version")
    status = column("allocation__status", "statut", ChoiceWidget(AllocationStatus))
    party = column("party__name", "partenaire")
    means = column("means_declaration__value", "capacité", DecimalWidget())
    amount = column("amount", "part", MoneyAmountWidget())
    currency = column("amount_currency", "devise", CurrencyWidget())

    class Meta(SpreadsheetResource.Meta):
        model = AllocationShare
        fields = ["pool", "version", "status", "party", "means", "amount", "currency"]
        export_order = fields

    def get_queryset(self) -> Any:
        return AllocationShare.objects.select_related("allocation__pool", "party", "means_declaration").order_by(
            "allocation__pool__name", "allocation__version", "party__name"
        )

    def import_data(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(_("Allocations are exported only; they are computed, approved and posted in the admin."))


# The travel's resources live beside its models; the registry reaches them through this module, as it does every other.
from sharedcosts.travel.resources import MunicipalityResource, PremisesResource, RoadDistanceResource  # noqa: E402, F401
