"""Means: declared, never negative, with a source."""

from decimal import Decimal

import pytest

from sharedcosts.errors import MeansError
from sharedcosts.models import MeansDeclaration
from sharedcosts.services import means_declare, means_record, means_refusals

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


def test_means_declare_refuses_a_fraction_of_a_cent_the_column_would_round(party, finance_user):
    with pytest.raises(MeansError) as refused:
        means_declare(party=party, value=Decimal("85000.005"), as_of=DAY, source="Rapport annuel", declared_by=finance_user)
    assert refused.value.code == "sub_cent_means"
    assert refused.value.messages == [
        "La capacité de Maison des jeunes de Saint-Jérôme se compte au cent près, pas 85\xa0000,005."
    ]
    assert MeansDeclaration.objects.count() == 0


def test_means_declare_names_who_declared_in_the_history(party, finance_user):
    declaration = means_declare(party=party, value=Decimal("85000"), as_of=DAY, source="Rapport annuel", declared_by=finance_user)
    assert [(h.history_type, h.history_user) for h in declaration.history.all()] == [("+", finance_user)]


def test_means_refusals_name_each_field_at_fault(party):
    refusals = means_refusals(party=party, value=Decimal("-1"), source=" ")
    assert {field: refusal.code for field, refusal in refusals.items()} == {"value": "negative_means", "source": "missing_source"}
    assert refusals["value"].messages == ["La capacité de Maison des jeunes de Saint-Jérôme ne peut pas être négative\xa0: -1,00."]
    assert means_refusals(party=party, value=Decimal("85000.50"), source="Rapport annuel") == {}


def test_means_refusals_elide_de_before_a_name_that_starts_with_a_vowel_or_an_h(party):
    party.name = "Hébergement jeunesse Le Tournant"
    refusals = means_refusals(party=party, value=Decimal("-1"), source="Rapport annuel")
    assert refusals["value"].messages == ["La capacité d’Hébergement jeunesse Le Tournant ne peut pas être négative\xa0: -1,00."]


def _declarations(party, other_party, *values):
    return [
        MeansDeclaration(party=owner, value=Decimal(value), as_of=DAY, source="Rapport annuel 2024-2025")
        for owner, value in zip((party, other_party), values, strict=True)
    ]


def test_means_record_records_every_declaration_with_its_history(party, other_party, finance_user):
    means_record(declarations=_declarations(party, other_party, "412500.00", "287300.50"), declared_by=finance_user)
    assert list(MeansDeclaration.objects.order_by("party__name").values_list("party__name", "value", "as_of", "source")) == [
        ("Maison des jeunes de Saint-Jérôme", Decimal("412500.00"), DAY, "Rapport annuel 2024-2025"),
        ("Travail de rue Laurentides", Decimal("287300.50"), DAY, "Rapport annuel 2024-2025"),
    ]
    history = MeansDeclaration.history.order_by("party__name")
    assert [(h.party.name, h.value, h.history_type, h.history_user) for h in history] == [
        ("Maison des jeunes de Saint-Jérôme", Decimal("412500.00"), "+", finance_user),
        ("Travail de rue Laurentides", Decimal("287300.50"), "+", finance_user),
    ]


def test_means_record_corrects_a_saved_declaration_and_keeps_what_it_said(party, other_party, finance_user):
    declaration = means_declare(party=party, value=Decimal("85000"), as_of=DAY, source="Rapport annuel", declared_by=finance_user)
    declaration.value = Decimal("86000.00")
    means_record(declarations=[declaration], declared_by=finance_user)
    assert MeansDeclaration.objects.get().value == Decimal("86000.00")
    assert [(h.history_type, h.value) for h in declaration.history.order_by("history_id")] == [
        ("+", Decimal("85000.00")),
        ("~", Decimal("86000.00")),
    ]


def test_only_staff_record_means(party, other_party, not_staff):
    with pytest.raises(MeansError) as refused:
        means_record(declarations=_declarations(party, other_party, "1", "2"), declared_by=not_staff)
    assert_not_staff(refused.value)
    assert MeansDeclaration.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "code"),
    [("-0.01", "negative_means"), ("100000000000000", "amount_too_large"), ("1.005", "sub_cent_means")],
)
def test_means_record_refuses_all_by_the_rules_of_means_declare(party, other_party, finance_user, value, code):
    with pytest.raises(MeansError) as refused:
        means_record(declarations=_declarations(party, other_party, "412500", value), declared_by=finance_user)
    assert refused.value.code == code
    assert "Travail de rue Laurentides" in refused.value.messages[0]
    assert MeansDeclaration.objects.count() == 0 and MeansDeclaration.history.count() == 0
