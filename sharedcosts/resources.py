"""Import and export of cost pools, participations, means, expenses and in-kind contributions.

An imported expense is posted to the ledger in the same database
transaction, under an idempotency key made from the row's content: the same
file imported twice posts nothing the second time, and the report says how
many rows had already been imported.
"""

import hashlib
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from moneyed import Money

from ledger.models import Party, Transaction
from ledger.services import transactions_post
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
from sharedcosts.services import expense_posting_request, pool_cost_account, pool_position_account


def _party() -> LookupWidget:
    return LookupWidget(Party, "name", what=_("party"))


def _pool() -> LookupWidget:
    return LookupWidget(CostPool, "name", what=_("cost pool"))


class CostPoolResource(SpreadsheetResource):
    name = column("name", "nom")
    kind = column("kind", "type", ChoiceWidget(PoolKind))
    budgeted_cost = column("budgeted_cost", "coût budgété", MoneyAmountWidget())
    currency = column("budgeted_cost_currency", "devise", CurrencyWidget())
    start_date = column("start_date", "début", DateWidget())
    end_date = column("end_date", "fin", DateWidget())
    measure = column("measure", "mesure", ChoiceWidget(Measure))
    measure_name = column("measure_name", "nom de la mesure")
    rule = column("rule", "règle", ChoiceWidget(RULE_CHOICES))
    rule_params = column("rule_params", "paramètres", JSONWidget())
    tolerance_low = column("tolerance_low", "effort minimal", DecimalWidget())
    tolerance_high = column("tolerance_high", "effort maximal", DecimalWidget())
    required_columns = ("nom", "type", "coût budgété", "début", "fin")

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
    """Means as :func:`sharedcosts.services.means_declare` records them (never negative, with a
    source), checked row by row and inserted by batches."""

    party = column("party", "partenaire", _party())
    measure = column("measure", "mesure", ChoiceWidget(Measure))
    measure_name = column("measure_name", "nom de la mesure")
    value = column("value", "valeur", DecimalWidget())
    as_of = column("as_of", "date", DateWidget())
    source = column("source", "source")
    required_columns = ("partenaire", "valeur", "date", "source")

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


def _posting_key(kind: str, parts: list[str]) -> str:
    return f"import:{kind}:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:48]


class ExpenseResource(BulkSpreadsheetResource):
    pool = column("pool", "regroupement", _pool())
    payer = column("payer", "payé par", _party())
    vendor = column("vendor", "fournisseur")
    date = column("date", "date", DateWidget())
    amount = column("amount", "montant", MoneyAmountWidget())
    currency = column("amount_currency", "devise", CurrencyWidget())
    description = column("description", "description")
    required_columns = ("regroupement", "payé par", "fournisseur", "date", "montant")

    class Meta(BulkSpreadsheetResource.Meta):
        model = Expense
        force_init_instance = True
        skip_diff = True
        fields = ["pool", "payer", "vendor", "date", "amount", "currency", "description"]
        export_order = fields

    def get_queryset(self) -> Any:
        return Expense.objects.select_related("pool", "payer").order_by("date", "pool__name", "payer__name", "vendor", "id")

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self._participants = set(Participation.objects.values_list("pool_id", "party_id"))
        self._accounts: dict[tuple[int, int | None], Any] = {}
        self._keys: dict[str, int] = {}

    def import_instance(self, instance: Expense, row: dict[str, Any], **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        if not (instance.pool_id and instance.payer_id and instance.date and instance.__dict__.get("amount") is not None):
            return
        pool, payer = instance.pool, instance.payer
        errors = {}
        if instance.amount_currency != pool.currency:
            errors["amount_currency"] = _("The expense is in %(currency)s, but the pool %(pool)s is kept in %(pool_currency)s.") % {
                "currency": instance.amount_currency,
                "pool": pool.name,
                "pool_currency": pool.currency,
            }
        if (pool.pk, payer.pk) not in self._participants:
            errors["payer"] = _("%(party)s does not take part in the pool %(pool)s.") % {"party": payer.name, "pool": pool.name}
        if errors:
            raise ValidationError(errors)
        instance._posting_key = _posting_key(
            "expense",
            [pool.name, payer.name, instance.vendor, instance.date.isoformat(), str(instance.amount.amount), instance.amount_currency, instance.description],
        )
        number = kwargs.get("row_number", 0)
        line = self.line_numbers[number - 1] if self.line_numbers and number else number
        first = self._keys.setdefault(instance._posting_key, line)
        if first != line:
            raise ValidationError({NON_FIELD_ERRORS: [_("This row repeats row %(row)s.") % {"row": first}]})

    def _account(self, pool: CostPool, party: Party | None) -> Any:
        key = (pool.pk, party.pk if party else None)
        if key not in self._accounts:
            self._accounts[key] = pool_position_account(pool, party) if party else pool_cost_account(pool)
        return self._accounts[key]

    def bulk_create(self, using_transactions: bool, dry_run: bool, raise_errors: bool, batch_size: Any = None, result: Any = None) -> None:
        """Insert a batch of expenses and post them in one call, skipping the rows already posted."""
        expenses, self.create_instances = self.create_instances, []
        if not expenses:
            return
        try:
            self._post(expenses, batch_size)
        except Exception as error:  # reported as the file's error; the whole import is rolled back
            self.handle_import_error(result, error, raise_errors)

    def _post(self, expenses: list[Expense], batch_size: Any) -> None:
        posted = set(
            Transaction.objects.filter(idempotency_key__in=[e._posting_key for e in expenses]).values_list("idempotency_key", flat=True)
        )
        fresh = [expense for expense in expenses if expense._posting_key not in posted]
        self.already_imported += len(expenses) - len(fresh)
        if not fresh:
            return
        results = transactions_post(
            requests=[
                expense_posting_request(
                    expense=expense,
                    posted_by=self.import_user,
                    idempotency_key=expense._posting_key,
                    cost_account=self._account(expense.pool, None),
                    position_account=self._account(expense.pool, expense.payer),
                )
                for expense in fresh
            ]
        )
        for expense, posting in zip(fresh, results):
            expense.transaction = posting.transaction
        Expense.objects.bulk_create(fresh, batch_size=batch_size)


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
    currency = column("value_currency", "devise", CurrencyWidget())
    justification = column("justification", "justification")
    date = column("date", "date", DateWidget())
    required_columns = ("regroupement", "partenaire", "description", "valeur", "justification", "date")

    class Meta(SpreadsheetResource.Meta):
        model = InKindContribution
        import_id_fields = ["pool", "party", "description", "date"]
        fields = ["pool", "party", "description", "value", "currency", "justification", "date"]
        export_order = fields

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
        errors = {}
        if instance.value_currency != pool.currency:
            errors["value_currency"] = _(
                "The %(what)s is in %(currency)s, but the pool %(pool)s is kept in %(pool_currency)s."
            ) % {"what": _("in-kind value"), "currency": instance.value_currency, "pool": pool.name, "pool_currency": pool.currency}
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
