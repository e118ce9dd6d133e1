"""django-import-export resources of the ledger, and the base every app's resources use.

Columns are named in French; amounts and their currencies have columns of
their own (:mod:`ledger.widgets`). Transactions are exported only: money is
never imported into the ledger except through a posting service.
"""

import hashlib
import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import resources
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader

from ledger.imports import header_normalise
from ledger.models import Entry, Membership, MembershipRole, Party, PartyKind, Sector
from ledger.widgets import (
    BooleanWidget,
    ChoiceWidget,
    CurrencyWidget,
    DateWidget,
    LookupWidget,
    MoneyAmountWidget,
    TextWidget,
)

PROGRESS_EVERY = 100


def column(attribute: str | None, name: str, widget: Any = None, **kwargs: Any) -> Field:
    return Field(attribute=attribute, column_name=name, widget=widget or TextWidget(), **kwargs)


class SpreadsheetResource(resources.ModelResource):
    """Imports that validate each row fully, refuse duplicate rows, and report progress."""

    required_columns: tuple[str, ...] = ()
    line_numbers: list[int] | None = None
    progress = None
    import_user = None

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        skip_diff = False
        skip_html_diff = True

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        self.import_user = kwargs.get("user") or self.import_user
        by_normal = {header_normalise(field.column_name): field.column_name for field in self.get_import_fields()}
        if dataset.headers:
            dataset.headers = [by_normal.get(header_normalise(header), header) for header in dataset.headers]
        self._seen: dict[str, int] = {}
        self.already_imported = 0
        for resource_field in self.fields.values():
            if isinstance(resource_field.widget, LookupWidget):
                resource_field.widget.reset()

    def row_fingerprint(self, row: dict[str, Any]) -> str:
        content = [[key, str(row.get(key, "")).strip()] for key in sorted(row)]
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        fingerprint = self.row_fingerprint(row)
        number = kwargs.get("row_number", 0)
        line = self.line_numbers[number - 1] if self.line_numbers and number else number
        if fingerprint in self._seen:
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("This row repeats row %(row)s.") % {"row": self._seen[fingerprint]}]}
            )
        self._seen[fingerprint] = line

    def after_import_row(self, row: dict[str, Any], row_result: Any, **kwargs: Any) -> None:
        number = kwargs.get("row_number", 0)
        if self.progress is not None and number % PROGRESS_EVERY == 0:
            self.progress(number)

    def export_field(self, field: Field, instance: Any, **kwargs: Any) -> str:
        value = super().export_field(field, instance, **kwargs)
        return "" if value is None else value


class PreloadedInstanceLoader(BaseInstanceLoader):
    """Finds an existing row by its import id fields in memory: one query for the whole file."""

    def __init__(self, resource: Any, dataset: Any = None) -> None:
        super().__init__(resource, dataset)
        self.fields = [resource.fields[name] for name in resource.get_import_id_fields() if name in resource.fields]
        self.existing = (
            {
                tuple(getattr(instance, field.attribute) for field in self.fields): instance
                for instance in resource.get_queryset()
            }
            if self.fields and not resource._meta.force_init_instance
            else {}
        )

    def get_instance(self, row: dict[str, Any]) -> Any:
        try:
            key = tuple(field.clean(row) for field in self.fields)
        except ValueError:
            return None  # the row's own import reports the error on its column
        return self.existing.get(key)


class BulkSpreadsheetResource(SpreadsheetResource):
    """Rows checked in memory (no query a row), then inserted by batches of 1,000.

    The model's field validators still run (``clean_fields``); its foreign keys
    were found by the widgets and its check constraints are checked by the
    database when the batch is inserted.
    """

    class Meta(SpreadsheetResource.Meta):
        use_bulk = True
        batch_size = 1000
        instance_loader_class = PreloadedInstanceLoader

    def validate_instance(self, instance: Any, import_validation_errors: Any = None, validate_unique: bool = True) -> None:
        errors = dict(import_validation_errors or {})
        foreign_keys = [field.name for field in instance._meta.concrete_fields if field.is_relation]
        try:
            instance.clean_fields(exclude=[*errors, *foreign_keys])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name in foreign_keys:
            field = instance._meta.get_field(name)
            if not field.null and getattr(instance, field.attname) is None and name not in errors:
                errors[name] = [str(field.error_messages["null"])]
        if errors:
            raise ValidationError(errors)


class PartyResource(SpreadsheetResource):
    name = column("name", "nom")
    kind = column("kind", "catégorie", ChoiceWidget(PartyKind))
    sector = column("sector", "secteur", ChoiceWidget(Sector))
    liaison_name = column("liaison_name", "personne-ressource")
    liaison_email = column("liaison_email", "courriel")
    liaison_phone = column("liaison_phone", "téléphone")
    is_active = column("is_active", "actif", BooleanWidget())
    required_columns = ("nom", "catégorie", "secteur")

    class Meta(SpreadsheetResource.Meta):
        model = Party
        import_id_fields = ["name"]
        fields = ["name", "kind", "sector", "liaison_name", "liaison_email", "liaison_phone", "is_active"]
        export_order = fields

    def get_queryset(self) -> Any:
        return Party.objects.order_by("name")


class MembershipResource(SpreadsheetResource):
    user = column("user", "utilisateur", LookupWidget(get_user_model(), "username", what=_("user")))
    party = column("party", "partenaire", LookupWidget(Party, "name", what=_("party")))
    role = column("role", "rôle", ChoiceWidget(MembershipRole))
    required_columns = ("utilisateur", "partenaire")

    class Meta(SpreadsheetResource.Meta):
        model = Membership
        import_id_fields = ["user", "party"]
        fields = ["user", "party", "role"]
        export_order = fields

    def get_queryset(self) -> Any:
        return Membership.objects.select_related("user", "party").order_by("party__name", "user__username")

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        super().before_import_row(row, **kwargs)
        if not str(row.get("rôle") or "").strip():
            row["rôle"] = MembershipRole.MEMBER


class EntryResource(SpreadsheetResource):
    """Export only: the ledger's transactions, one line per entry."""

    importable = False

    transaction = column("transaction__pk", "transaction")
    date = column("date", "date", DateWidget())
    kind = column("transaction__kind", "type")
    key = column("transaction__idempotency_key", "clé")
    memo = column("transaction__memo", "libellé")
    account = column("account__code", "compte")
    party = column("account__party__name", "partenaire")
    amount = column("amount", "montant", MoneyAmountWidget())
    currency = column("amount_currency", "devise", CurrencyWidget())

    class Meta(SpreadsheetResource.Meta):
        model = Entry
        fields = ["transaction", "date", "kind", "key", "memo", "account", "party", "amount", "currency"]
        export_order = fields

    def get_queryset(self) -> Any:
        return Entry.objects.select_related("transaction", "account__party").order_by("date", "transaction_id", "id")

    def import_data(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(_("Transactions are exported only; money moves through the posting services."))


class PartyStatementResource(EntryResource):
    """Export only: the entries of the parties' own accounts, to read as statements."""

    def get_queryset(self) -> Any:
        return super().get_queryset().filter(account__party__isnull=False).order_by(
            "account__party__name", "date", "transaction_id", "id"
        )
