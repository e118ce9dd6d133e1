"""Values in words: people by their names, file sizes in the reader's units."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from ledger.words import file_size_words, km_words, number_words, person_words


@pytest.mark.parametrize(
    ("language", "size", "expected"),
    [
        ("fr-ca", 43213, "42,2\xa0Ko"),
        ("en", 43213, "42.2\xa0KB"),
        ("fr-ca", 10 * 1024 * 1024, "10,0\xa0Mo"),
        ("fr-ca", 13_107_200 + 2_621_440, "15,0\xa0Mo"),
        ("fr-ca", 512, "512\xa0octets"),
        ("en", 1, "1\xa0byte"),
        ("fr-ca", 3 * 1024**3, "3,0\xa0Go"),
    ],
)
def test_file_sizes_read_in_the_readers_units(language, size, expected):
    with translation.override(language):
        assert file_size_words(size) == expected


def test_a_person_is_named_by_their_full_name_else_their_username():
    user_model = get_user_model()
    assert person_words(user_model(username="agagnon", first_name="Aline", last_name="Gagnon")) == "Aline Gagnon"
    assert person_words(user_model(username="agagnon")) == "agagnon"


def test_every_user_reads_as_their_name_wherever_it_is_written_with_str():
    user_model = get_user_model()
    assert str(user_model(username="agagnon", first_name="Aline", last_name="Gagnon")) == "Aline Gagnon"
    assert str(user_model(username="agagnon")) == "agagnon"


@pytest.mark.parametrize(
    ("language", "value", "number", "km"),
    [
        ("fr-ca", Decimal("9854.0"), "9\u00a0854", "9\u00a0854\u00a0km"),
        ("fr-ca", Decimal("195.5"), "195,5", "195,5\u00a0km"),
        ("en", Decimal("9854.0"), "9,854", "9,854\u00a0km"),
        ("en", Decimal("368.0"), "368", "368\u00a0km"),
    ],
)
def test_a_measure_is_written_as_the_reader_writes_it_without_a_useless_zero(language, value, number, km):
    with translation.override(language):
        assert (number_words(value), km_words(value)) == (number, km)
