"""The review's numbers as each reader writes them."""

from decimal import Decimal

import pytest
from django.utils import translation

from portal.review.formats import percent, ratio


@pytest.mark.parametrize(("language", "text"), [("fr-ca", "8,3\u00a0%"), ("en", "8.3%")])
def test_a_percentage_is_written_the_readers_way(language, text):
    with translation.override(language):
        assert percent(Decimal("0.083")) == text


@pytest.mark.parametrize(("language", "text"), [("fr-ca", "0,66"), ("en", "0.66")])
def test_a_ratio_is_rounded_as_the_pool_page_rounds_it(language, text):
    with translation.override(language):
        assert ratio(Decimal("0.659")) == text
        assert ratio(Decimal("0.655")) == text
