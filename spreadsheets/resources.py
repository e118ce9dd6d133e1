"""The base every app's resources use: full validation of each row, no duplicate rows, progress.

:class:`SpreadsheetResource` validates each row fully and refuses a row that
repeats another; :class:`BulkSpreadsheetResource` checks rows in memory and
hands them all at once to the domain's bulk service, which writes them.
Columns are named in French; amounts and their currencies have columns of
their own (:mod:`spreadsheets.widgets`).

A base module of the app: it knows no domain app and never imports
:mod:`spreadsheets.registry`. The arrows go one way: each domain app's
``resources.py`` (``ledger``, ``grants``, ``sharedcosts``) builds on this
module and on :mod:`spreadsheets.widgets`, and the registry imports those
``resources.py``; so nothing here may import the registry or a domain app.
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import resources
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult

from spreadsheets.reading import header_normalise
from spreadsheets.widgets import CurrencyWidget, LookupWidget, ReferenceWidget, TextWidget, cell_text

PROGRESS_EVERY = 100


def column(attribute: str | None, name: str, widget: Any = None, **kwargs: Any) -> Field:
    return Field(attribute=attribute, column_name=name, widget=widget or TextWidget(), **kwargs)


class NamedWhenAskedRowResult(RowResult):
    """A row's result that writes the name of its row only when asked.

    Import-export names every row it imports (``str()`` of the instance) for
    its own admin's log, which this project does not use; naming 10,000
    expenses, their amounts formatted, took a tenth of an import.
    """

    _instance = None
    _object_repr = None

    @property
    def object_repr(self) -> str | None:
        return force_str(self._instance) if self._instance is not None else self._object_repr

    @object_repr.setter
    def object_repr(self, value: str | None) -> None:
        self._object_repr = value

    def add_instance_info(self, instance: Any) -> None:
        if instance is not None:
            self.object_id = getattr(instance, "pk", None)
            self._instance = instance


class SpreadsheetResource(resources.ModelResource):
    """Imports that validate each row fully, refuse duplicate rows, and report progress."""

    required_columns: tuple[str, ...] = ()
    example: dict[str, str] = {}  # one row, by column, for the template file the import page offers
    importable = True  # False for a model exported only: its rows are written by services, never imported
    line_numbers: list[int] | None = None
    progress = None
    import_user = None
    erase_blanks = False  # a blank cell erases the stored value of an existing row only when the person asks
    keep_shown = False  # keep each row's values, before and after, for the admin's preview

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        skip_diff = False
        skip_html_diff = True

    @classmethod
    def get_row_result_class(cls) -> type[RowResult]:
        return NamedWhenAskedRowResult

    def get_import_fields(self) -> list[Field]:
        """The same for every row; import-export asks for them, and orders them anew, several times a row."""
        if "_import_fields" not in self.__dict__:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        self.import_user = kwargs.get("user") or self.import_user
        by_normal = {header_normalise(field.column_name): field.column_name for field in self.get_import_fields()}
        if dataset.headers:
            dataset.headers = [by_normal.get(header_normalise(header), header) for header in dataset.headers]
            self._currency_columns_add(dataset)
        self._seen: dict[tuple[tuple[str, str], ...], int] = {}
        self.already_imported = 0
        self.shown: dict[int, tuple[dict[str, str], dict[str, str]]] = {}
        for resource_field in self.fields.values():
            if isinstance(resource_field.widget, LookupWidget):
                resource_field.widget.reset()

    def _currency_columns_add(self, dataset: Any) -> None:
        """An absent currency column reads as empty, so the sign written in an amount still gives its currency."""
        for resource_field in self.get_import_fields():
            if isinstance(resource_field.widget, CurrencyWidget) and resource_field.column_name not in dataset.headers:
                if len(dataset):
                    dataset.append_col([""] * len(dataset), header=resource_field.column_name)
                else:
                    dataset.headers = [*dataset.headers, resource_field.column_name]

    def row_fingerprint(self, row: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        return tuple((key, str(row.get(key, "")).strip()) for key in sorted(row))

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
        if self.keep_shown:
            instance, before = self._shown_now
            self.shown[number] = (before, self._shown_values(instance))
        if self.progress is not None and number % PROGRESS_EVERY == 0:
            self.progress(number)

    def import_field(self, field: Field, instance: Any, row: dict[str, Any], is_m2m: bool = False, **kwargs: Any) -> None:
        blank = not cell_text(row.get(field.column_name, ""))
        if blank and isinstance(field.widget, ReferenceWidget):
            return  # a row without a reference keeps the one its row has, or is given a new one
        if blank and instance.pk is not None and not self.erase_blanks:
            return  # a blank cell leaves the stored value as it is
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def _shown_values(self, instance: Any) -> dict[str, str]:
        """Each column's value as a person reads it: a choice by its label, a yes or no in their language."""
        return {
            field.column_name: _shown(field, instance)
            for field in self.get_import_fields()
            if not field.readonly and field.attribute
        }

    def after_init_instance(self, instance: Any, new: bool, row: dict[str, Any], **kwargs: Any) -> None:
        super().after_init_instance(instance, new, row, **kwargs)
        if self.keep_shown:
            self._shown_now = (instance, {} if new else self._shown_values(instance))

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
        if not self.existing:
            return None  # nothing stored to find: the row's cells are read once, by its import
        try:
            key = tuple(field.clean(row) for field in self.fields)
        except ValueError:
            return None  # the row's own import reports the error on its column
        return self.existing.get(key)


class BulkSpreadsheetResource(SpreadsheetResource):
    """Rows checked in memory (no query a row), then written all at once by the domain's bulk service.

    A subclass writes the rows in ``instances_write(*, created, updated)``
    through its app's bulk service, which applies the rules of the service
    that records one row. No batch size: import-export hands the rows over
    once every row is read, so the service sees the whole file, checks the
    person's role once, reads what it needs once, and refuses the file as a
    whole. The model's field validators still run (``clean_fields``); its
    foreign keys were found by the widgets. A row that changes nothing in
    the row it names is skipped without import-export's diff, which copies
    every row.
    """

    class Meta(SpreadsheetResource.Meta):
        use_bulk = True
        batch_size = None
        skip_diff = True
        instance_loader_class = PreloadedInstanceLoader

    def after_init_instance(self, instance: Any, new: bool, row: dict[str, Any], **kwargs: Any) -> None:
        super().after_init_instance(instance, new, row, **kwargs)
        self._stored = None if new else _stored_values(instance)

    def skip_row(self, instance: Any, original: Any, row: dict[str, Any], import_validation_errors: Any = None) -> bool:
        return not import_validation_errors and self._stored is not None and self._stored == _stored_values(instance)

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

    def bulk_create(self, using_transactions: bool, dry_run: bool, raise_errors: bool, batch_size: Any = None, result: Any = None) -> None:
        """Hand every new and changed row to the subclass's ``instances_write`` at once; its refusal is the file's."""
        created, self.create_instances = self.create_instances, []
        updated, self.update_instances = self.update_instances, []
        if not (created or updated):
            return
        try:
            self.instances_write(created=created, updated=updated)
        except Exception as error:  # reported as the file's error; the whole import is rolled back
            self.handle_import_error(result, error, raise_errors)


def _shown(field: Field, instance: Any) -> str:
    """The value as its widget says it to a person (``shown(value, obj=instance)``), else as the file keeps it."""
    shown = getattr(field.widget, "shown", None)
    return shown(field.get_value(instance), obj=instance) if shown is not None else str(field.export(instance))


def _stored_values(instance: Any) -> list[Any]:
    return [getattr(instance, field.attname) for field in instance._meta.concrete_fields]
