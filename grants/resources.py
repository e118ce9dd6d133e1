"""Import and export of funding programmes and of grants with their budget lines.

A grant is one row: its budget lines are the ``budget …`` columns. An
imported grant is created by :func:`grants.services.grant_create` (a draft
with its planned instalments), by the person who imports; a programme by
:func:`grants.services.programme_create`, which funds its envelope.
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from moneyed import Money

from grants.holds import hold_words
from grants.models import (
    BudgetLine,
    FundingProgramme,
    Grant,
    GrantPurpose,
    Instalment,
    InstalmentStatus,
    ReportContent,
    ReportKind,
    ReportRequirement,
    ScheduleFrequency,
)
from grants.services import grant_create, programme_create
from ledger.errors import DomainError
from ledger.models import Party
from spreadsheets.resources import SpreadsheetResource, column
from spreadsheets.widgets import BooleanWidget, ChoiceWidget, CurrencyWidget, DateWidget, DecimalWidget, LookupWidget, MoneyAmountWidget

BUDGET_COLUMNS = {
    BudgetLine.SALARIES: "budget salaires",
    BudgetLine.PREMISES: "budget locaux",
    BudgetLine.ACTIVITIES: "budget activités",
    BudgetLine.TRAVEL: "budget déplacements",
    BudgetLine.MATERIAL: "budget matériel",
    BudgetLine.OTHER: "budget autre",
}


def _refusal(error: DomainError) -> ValidationError:
    return ValidationError({NON_FIELD_ERRORS: list(error.messages)})


class FundingProgrammeResource(SpreadsheetResource):
    name = column("name", "nom")
    fiscal_year = column("fiscal_year", "exercice", DecimalWidget(places=0))
    amount = column("amount", "enveloppe", MoneyAmountWidget())
    currency = column("amount_currency", "devise", CurrencyWidget(amount_column="enveloppe"))
    holds = column("holds_on_overdue_report", "retenue si rapport en retard", BooleanWidget())
    required_columns = ("nom", "exercice", "enveloppe")
    example = {"nom": "Soutien aux partenaires communautaires", "exercice": "2025", "enveloppe": "150 000,00 $", "devise": "CAD", "retenue si rapport en retard": "oui"}

    class Meta(SpreadsheetResource.Meta):
        model = FundingProgramme
        import_id_fields = ["name", "fiscal_year"]
        fields = ["name", "fiscal_year", "amount", "currency", "holds"]
        export_order = fields

    def get_queryset(self) -> Any:
        return FundingProgramme.objects.order_by("fiscal_year", "name")

    def import_instance(self, instance: FundingProgramme, row: dict[str, Any], **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        if instance.fiscal_year is not None:
            instance.fiscal_year = int(instance.fiscal_year)

    def do_instance_save(self, instance: FundingProgramme, is_create: bool) -> None:
        if not is_create:
            raise ValidationError({NON_FIELD_ERRORS: [_("A programme is changed in the admin, not by an import.")]})
        try:
            created = programme_create(
                name=instance.name,
                fiscal_year=instance.fiscal_year,
                amount=instance.amount,
                holds_on_overdue_report=instance.holds_on_overdue_report,
                created_by=self.import_user,
            )
        except DomainError as error:
            raise _refusal(error) from None
        instance.pk = created.pk


class ProgrammeWidget(LookupWidget):
    """A programme by its name; the grant's start date tells the fiscal year when names repeat."""

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Any:
        text = str(value or "").strip()
        if text == "":
            return None
        matches = list(FundingProgramme.objects.filter(name__iexact=text).order_by("-fiscal_year"))
        if not matches:
            raise ValueError(_("Unknown %(what)s “%(value)s”.") % {"what": _("funding programme"), "value": text})
        year = str((row or {}).get("exercice") or "").strip()
        if year:
            chosen = [programme for programme in matches if str(programme.fiscal_year) == year]
            if not chosen:
                raise ValueError(
                    _("The programme “%(value)s” has no envelope for the fiscal year %(year)s.") % {"value": text, "year": year}
                )
            return chosen[0]
        return matches[0]


class GrantResource(SpreadsheetResource):
    programme = column("programme", "programme", ProgrammeWidget(FundingProgramme, "name"))
    fiscal_year = column("programme__fiscal_year", "exercice", readonly=True)
    party = column("party", "partenaire", LookupWidget(Party, "name", what=gettext_lazy("party")))
    title = column("title", "titre")
    purpose = column("purpose", "objet", ChoiceWidget(GrantPurpose))
    amount = column("amount", "montant", MoneyAmountWidget())
    currency = column("amount_currency", "devise", CurrencyWidget(amount_column="montant"))
    start_date = column("start_date", "début", DateWidget())
    end_date = column("end_date", "fin", DateWidget())
    frequency = column("frequency", "versements", ChoiceWidget(ScheduleFrequency))
    dates = column(None, "dates des versements")
    required_columns = ("programme", "partenaire", "titre", "objet", "montant", "début", "fin")
    example = {"programme": "Soutien aux partenaires communautaires", "partenaire": "Maison des jeunes de Saint-Jérôme", "titre": "Table de concertation jeunesse", "objet": "concertation_table", "montant": "24 000,00 $", "devise": "CAD", "début": "2025-04-01", "fin": "2026-03-31", "versements": "Trimestriel", "budget salaires": "18 000,00", "budget activités": "6 000,00"}

    class Meta(SpreadsheetResource.Meta):
        model = Grant
        import_id_fields = ["programme", "party", "title"]
        fields = [
            "programme", "fiscal_year", "party", "title", "purpose", "amount", "currency",
            "start_date", "end_date", "frequency", "dates",
        ]  # fmt: skip
        export_order = fields

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for line, name in BUDGET_COLUMNS.items():
            self.fields[f"budget_{line}"] = column(None, name, MoneyAmountWidget())

    def get_export_order(self) -> tuple[str, ...]:
        return (*self._meta.export_order, *[f"budget_{line}" for line in BUDGET_COLUMNS])

    def get_queryset(self) -> Any:
        return Grant.objects.select_related("programme", "party").prefetch_related("budget_lines").order_by(
            "programme__fiscal_year", "programme__name", "party__name", "title", "id"
        )

    def export_field(self, field: Any, instance: Grant, **kwargs: Any) -> str:
        if field.column_name == "dates des versements":
            if instance.frequency != ScheduleFrequency.DATES:
                return ""
            return ", ".join(i.due_date.isoformat() for i in instance.instalments.order_by("sequence"))
        for line, name in BUDGET_COLUMNS.items():
            if field.column_name == name:
                amounts = {budget.line: budget.amount for budget in instance.budget_lines.all()}
                return field.widget.render(amounts.get(line)) if line in amounts else ""
        return super().export_field(field, instance, **kwargs)

    def import_instance(self, instance: Grant, row: dict[str, Any], **kwargs: Any) -> None:
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        budget = {}
        for line, name in BUDGET_COLUMNS.items():
            resource_field = self.fields[f"budget_{line}"]
            if name not in row or str(row[name] if row[name] is not None else "").strip() == "":
                continue
            try:
                amount = resource_field.widget.clean(row[name], row=row)
            except ValueError as error:
                errors[f"budget_{line}"] = [str(error)]
                continue
            if amount is not None:
                budget[line] = amount
        dates = []
        for text in str(row.get("dates des versements") or "").replace(";", ",").split(","):
            if text.strip():
                try:
                    dates.append(DateWidget().clean(text))
                except ValueError as error:
                    errors["dates"] = [str(error)]
        if errors:
            raise ValidationError(errors)
        instance._dates = dates or None
        if instance.frequency is None:
            instance.frequency = ScheduleFrequency.SINGLE
        instance._budget = budget

    def skip_row(self, instance: Grant, original: Any, row: dict[str, Any], import_validation_errors: Any = None) -> bool:
        return bool(instance.pk) and not import_validation_errors

    def do_instance_save(self, instance: Grant, is_create: bool) -> None:
        currency = instance.amount_currency
        try:
            created = grant_create(
                programme=instance.programme,
                party=instance.party,
                title=instance.title,
                purpose=instance.purpose,
                amount=instance.amount,
                start_date=instance.start_date,
                end_date=instance.end_date,
                budget={line: Money(amount, currency) for line, amount in instance._budget.items()},
                frequency=instance.frequency,
                dates=instance._dates,
                created_by=self.import_user,
            )
        except DomainError as error:
            raise _refusal(error) from None
        instance.pk = created.pk


class GrantWidget(LookupWidget):
    """A grant by its project title and, in the row's “partenaire” column, its party."""

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Any:
        title = str(value or "").strip()
        if title == "":
            return None
        party = str((row or {}).get("partenaire") or "").strip()
        grants = Grant.objects.filter(title__iexact=title)
        if party:
            grants = grants.filter(party__name__iexact=party)
        found = list(grants.select_related("party")[:2])
        if len(found) != 1:
            raise ValueError(
                _("No single grant “%(title)s” for %(party)s.") % {"title": title, "party": party or "?"}
                if not found or party
                else _("Several grants are titled “%(title)s”; name the party in the column “partenaire”.") % {"title": title}
            )
        return found[0]


class ReportRequirementResource(SpreadsheetResource):
    grant = column("grant", "subvention", GrantWidget(Grant, "title"))
    party = column("grant__party__name", "partenaire", readonly=True)
    kind = column("kind", "rapport", ChoiceWidget(ReportKind))
    content = column("content", "contenu", ChoiceWidget(ReportContent))
    due_date = column("due_date", "échéance", DateWidget())
    required_columns = ("subvention", "partenaire", "rapport", "échéance")
    example = {"subvention": "Table de concertation jeunesse", "partenaire": "Maison des jeunes de Saint-Jérôme", "rapport": "final", "contenu": "financial", "échéance": "2026-04-30"}

    class Meta(SpreadsheetResource.Meta):
        model = ReportRequirement
        import_id_fields = ["grant", "kind", "due_date"]
        fields = ["grant", "party", "kind", "content", "due_date"]
        export_order = fields

    def get_queryset(self) -> Any:
        return ReportRequirement.objects.select_related("grant__party").order_by(
            "due_date", "grant__party__name", "grant__title", "kind"
        )

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        super().before_import_row(row, **kwargs)
        if not str(row.get("contenu") or "").strip():
            row["contenu"] = ReportContent.BOTH


class DisbursementResource(SpreadsheetResource):
    """Export only: every instalment with its status and, once paid, its ledger transaction."""

    importable = False

    grant = column("grant__title", "subvention")
    party = column("grant__party__name", "partenaire")
    sequence = column("sequence", "versement")
    due_date = column("due_date", "échéance", DateWidget())
    amount = column("amount", "montant", MoneyAmountWidget())
    currency = column("amount_currency", "devise", CurrencyWidget())
    status = column("status", "statut", ChoiceWidget(InstalmentStatus))
    transaction = column("transaction_id", "transaction")
    hold_reason = column("hold_reason", "motif de la retenue")

    class Meta(SpreadsheetResource.Meta):
        model = Instalment
        fields = ["grant", "party", "sequence", "due_date", "amount", "currency", "status", "transaction", "hold_reason"]
        export_order = fields

    def get_queryset(self) -> Any:
        return Instalment.objects.select_related("grant__party").order_by("grant__title", "grant_id", "sequence")

    def dehydrate_hold_reason(self, instalment: Instalment) -> str:
        return hold_words(instalment)

    def import_data(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(_("Disbursements are exported only; instalments are paid by the daily run."))
