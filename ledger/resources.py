"""django-import-export resources of the ledger: parties, memberships, entries and statements.

Columns are named in French; amounts and their currencies have columns of
their own (:mod:`spreadsheets.widgets`). Transactions are exported only: money is
never imported into the ledger except through a posting service.

The resources build on the domain-free base of :mod:`spreadsheets.resources`
and :mod:`spreadsheets.widgets`; :mod:`spreadsheets.registry` lists them.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ledger.models import Entry, Membership, MembershipRole, Party, PartyKind, Sector
from spreadsheets.resources import SpreadsheetResource, column
from spreadsheets.widgets import (
    BooleanWidget,
    ChoiceWidget,
    CurrencyWidget,
    DateWidget,
    LookupWidget,
    MoneyAmountWidget,
)


class PartyResource(SpreadsheetResource):
    name = column("name", "nom")
    kind = column("kind", "catégorie", ChoiceWidget(PartyKind))
    sector = column("sector", "secteur", ChoiceWidget(Sector))
    liaison_name = column("liaison_name", "personne-ressource")
    liaison_email = column("liaison_email", "courriel")
    liaison_phone = column("liaison_phone", "téléphone")
    is_active = column("is_active", "actif", BooleanWidget())
    required_columns = ("nom", "catégorie", "secteur")
    example = {"nom": "Maison des jeunes de Saint-Jérôme", "catégorie": "Organisme communautaire jeunesse", "secteur": "Sud", "personne-ressource": "Julie Tremblay", "courriel": "julie@mdj.example", "téléphone": "450 555-0101", "actif": "oui"}

    class Meta(SpreadsheetResource.Meta):
        model = Party
        import_id_fields = ["name"]
        fields = ["name", "kind", "sector", "liaison_name", "liaison_email", "liaison_phone", "is_active"]
        export_order = fields

    def get_queryset(self) -> Any:
        return Party.objects.order_by("name")


class MembershipResource(SpreadsheetResource):
    user = column("user", "utilisateur", LookupWidget(get_user_model(), "username", what=gettext_lazy("user")))
    party = column("party", "partenaire", LookupWidget(Party, "name", what=gettext_lazy("party")))
    role = column("role", "rôle", ChoiceWidget(MembershipRole))
    required_columns = ("utilisateur", "partenaire")
    example = {"utilisateur": "julie", "partenaire": "Maison des jeunes de Saint-Jérôme", "rôle": "member"}

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
