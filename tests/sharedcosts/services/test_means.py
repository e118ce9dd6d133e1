"""Means: declared, never negative, with a source."""

from decimal import Decimal

import pytest

from sharedcosts.errors import MeansError
from sharedcosts.models import MeansDeclaration
from sharedcosts.services import means_declare

from .helpers import DAY, assert_not_staff

pytestmark = pytest.mark.django_db


def test_a_negative_means_declaration_is_refused(party, finance_user):
    with pytest.raises(MeansError) as refused:
        means_declare(party=party, value=Decimal("-1"), as_of=DAY, source="Rapport annuel", declared_by=finance_user)
    assert refused.value.code == "negative_means"
    assert MeansDeclaration.objects.count() == 0


def test_means_declare_records_a_declaration(party, finance_user):
    declaration = means_declare(party=party, value=Decimal("85000"), as_of=DAY, source="Rapport annuel", declared_by=finance_user)
    assert MeansDeclaration.objects.get().pk == declaration.pk


def test_only_staff_declare_means(party, not_staff):
    with pytest.raises(MeansError) as refused:
        means_declare(party=party, value=Decimal("85000"), as_of=DAY, source="Rapport annuel", declared_by=not_staff)
    assert_not_staff(refused.value)
    assert MeansDeclaration.objects.count() == 0


def test_means_past_the_column_are_refused_in_words(party, finance_user):
    with pytest.raises(MeansError) as refused:
        means_declare(
            party=party, value=Decimal("100000000000000"), as_of=DAY, source="Rapport annuel", declared_by=finance_user
        )
    assert refused.value.code == "amount_too_large"
    assert refused.value.messages == [
        "La capacité de Maison des jeunes de Saint-Jérôme dépasse ce que les livres peuvent inscrire "
        "(au plus 99\xa0999\xa0999\xa0999\xa0999,99)."
    ]
    assert MeansDeclaration.objects.count() == 0
