"""An import's summary counts its rows as a person says them, singular and plural, in French and English."""

import pytest
from django.utils import translation

from spreadsheets.reports import ImportReport, RowError


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr-ca", "Importation terminée\xa0: 1 nouvelle ligne, 2 lignes modifiées, 0 ligne inchangée."),
        ("en", "Import finished: 1 new row, 2 rows updated, 0 rows unchanged."),
    ],
)
def test_a_finished_import_counts_its_rows_in_words(language, expected):
    with translation.override(language):
        assert ImportReport(dry_run=False, created=1, updated=2, skipped=0).summary() == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr-ca",
            "Essai à blanc, rien n’a été enregistré\xa0: 3 nouvelles lignes, 1 ligne modifiée, 1 ligne inchangée. "
            "1 ligne avait déjà été importée et n’a pas été comptabilisée de nouveau.",
        ),
        (
            "en",
            "Dry run, nothing was saved: 3 new rows, 1 row updated, 1 row unchanged. "
            "1 row had already been imported and was not posted again.",
        ),
    ],
)
def test_a_dry_run_says_nothing_was_saved(language, expected):
    with translation.override(language):
        assert ImportReport(dry_run=True, created=3, updated=1, skipped=1, already_imported=1).summary() == expected


@pytest.mark.parametrize(
    ("language", "errors", "expected"),
    [
        ("fr-ca", 1, "1 erreur; rien n’a été enregistré."),
        ("fr-ca", 2, "2 erreurs; rien n’a été enregistré."),
        ("en", 1, "1 error; nothing was saved."),
    ],
)
def test_refused_rows_are_counted_and_nothing_else(language, errors, expected):
    report = ImportReport(dry_run=False, created=5, errors=[RowError(row, "", "illisible") for row in range(errors)])
    with translation.override(language):
        assert report.summary() == expected
