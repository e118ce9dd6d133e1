"""The export's column chooser names each column in the person's language; the file's headers stay French."""

from django.utils import translation

from spreadsheets.headers import ENGLISH_NAMES, header_label
from spreadsheets.registry import EXPORTABLE


def test_french_shows_the_header_itself_and_english_names_it_with_the_header_the_file_holds():
    with translation.override("fr-ca"):
        assert (header_label("payé par"), header_label("montant")) == ("Payé par", "Montant")
    with translation.override("en"):
        assert (header_label("payé par"), header_label("montant")) == ("Paid by (payé par)", "Amount (montant)")
        assert header_label("date") == "Date"  # spelt alike: not repeated


def test_every_column_the_product_exports_has_an_english_name():
    for key, resource_class in EXPORTABLE.items():
        resource = resource_class()
        for name in resource.get_export_order():
            assert resource.fields[name].column_name in ENGLISH_NAMES, (key, name)
