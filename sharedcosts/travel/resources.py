"""Import and export of municipalities, road distances and premises (where each partner receives).

A distance is one row for both directions: a file may name the two places
in either order, and the export writes them alphabetically, so a file
exported and imported again is the same file.
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext as _

from ledger.models import Party
from sharedcosts.travel.errors import TravelError
from sharedcosts.travel.models import Municipality, Premises, RoadDistance
from sharedcosts.travel.services import distance_check
from spreadsheets.resources import SpreadsheetResource, column
from spreadsheets.widgets import DecimalWidget, LookupWidget


def _municipality() -> LookupWidget:
    return LookupWidget(Municipality, "name", what=_("municipality"))


class MunicipalityResource(SpreadsheetResource):
    name = column("name", "nom")
    required_columns = ("nom",)

    class Meta(SpreadsheetResource.Meta):
        model = Municipality
        import_id_fields = ["name"]
        fields = ["name"]
        export_order = fields

    def get_queryset(self) -> Any:
        return Municipality.objects.order_by("name")


class RoadDistanceResource(SpreadsheetResource):
    first = column("first", "municipalité", _municipality())
    second = column("second", "autre municipalité", _municipality())
    km = column("km", "km", DecimalWidget(places=1))
    required_columns = ("municipalité", "autre municipalité", "km")

    class Meta(SpreadsheetResource.Meta):
        model = RoadDistance
        import_id_fields = ["first", "second"]
        fields = ["first", "second", "km"]
        export_order = fields

    def get_queryset(self) -> Any:
        return (
            RoadDistance.objects.select_related("first", "second")
            .annotate(one=Least("first__name", "second__name"), other=Greatest("first__name", "second__name"))
            .order_by("one", "other")
        )

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self._pairs: dict[tuple[int, int], int] = {}

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        """Put the pair in the order it is stored (the smaller id first), and refuse a pair already in the file."""
        try:
            one, other = self.fields["first"].clean(row), self.fields["second"].clean(row)
        except ValueError:
            one = other = None  # the row's own import reports the unknown place on its column
        if one is not None and other is not None and one.pk > other.pk:
            row["municipalité"], row["autre municipalité"] = row["autre municipalité"], row["municipalité"]
            one, other = other, one
        super().before_import_row(row, **kwargs)
        if one is None or other is None:
            return
        number = kwargs.get("row_number", 0)
        line = self.line_numbers[number - 1] if self.line_numbers and number else number
        first = self._pairs.setdefault((one.pk, other.pk), line)
        if first != line:
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("Row %(row)s already gives the distance between these two places.") % {"row": first}]}
            )

    def import_instance(self, instance: RoadDistance, row: dict[str, Any], **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        if instance.first_id and instance.second_id and instance.km is not None:
            try:
                distance_check(one=instance.first, other=instance.second, km=instance.km)
            except TravelError as refusal:
                raise ValidationError({"second": refusal.messages}) from refusal  # its column, so the pair's constraint is not checked again

    def dehydrate_first(self, distance: RoadDistance) -> str:
        return self.fields["first"].widget.render(min(distance.first, distance.second, key=lambda place: place.name))

    def dehydrate_second(self, distance: RoadDistance) -> str:
        return self.fields["second"].widget.render(max(distance.first, distance.second, key=lambda place: place.name))


class PremisesResource(SpreadsheetResource):
    party = column("party", "partenaire", LookupWidget(Party, "name", what=_("party")))
    municipality = column("municipality", "municipalité", _municipality())
    address = column("address", "adresse")
    required_columns = ("partenaire", "municipalité")

    class Meta(SpreadsheetResource.Meta):
        model = Premises
        import_id_fields = ["party"]
        fields = ["party", "municipality", "address"]
        export_order = fields

    def get_queryset(self) -> Any:
        return Premises.objects.select_related("party", "municipality").order_by("party__name")
