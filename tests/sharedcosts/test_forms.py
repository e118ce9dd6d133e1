import pytest
from django.urls import reverse
from django.utils import translation

from sharedcosts.forms import CostPoolForm, WhatIfForm

pytestmark = pytest.mark.django_db


def pool_data(pool, **changes) -> dict:
    data = {
        "kind": pool.kind, "name": pool.name, "budgeted_cost_0": "10 000,00", "budgeted_cost_1": "CAD",
        "start_date": "2025-04-01", "end_date": "2026-03-31", "measure": pool.measure, "measure_name": "",
        "rule": pool.rule, "tolerance_low": "0.80", "tolerance_high": "1.25",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("typed", "params"),
    [
        ({"rule": "progressive", "threshold": "100 000"}, {"threshold": "100000"}),
        ({"rule": "base_plus_proportional", "base_fraction": "50"}, {"base_fraction": "0.5"}),
        ({"rule": "base_plus_proportional", "base_fraction": "12,5", "threshold": "9"}, {"base_fraction": "0.125"}),
        ({"rule": "equal", "threshold": "100 000"}, {}),
    ],
)
def test_the_pool_form_writes_only_the_chosen_rules_parameters(joined, typed, params):
    with translation.override("fr-ca"):
        form = CostPoolForm(pool_data(joined, **typed), instance=joined)
        assert form.is_valid(), form.errors
        assert form.save().rule_params == params


def test_a_fixed_split_takes_a_percentage_for_each_participant(joined, parties):
    typed = {f"percentage_{p.pk}": value for p, value in zip(parties, ["50", "30", "20"], strict=True)}
    with translation.override("fr-ca"):
        form = CostPoolForm(pool_data(joined, rule="fixed", **typed), instance=joined)
        assert form.is_valid(), form.errors
    assert form.save().rule_params == {"percentages": {str(p.pk): v for p, v in zip(parties, ["50", "30", "20"])}}


def test_a_rule_without_its_parameter_is_refused_on_the_field_in_words(joined):
    with translation.override("fr-ca"):
        form = CostPoolForm(pool_data(joined, rule="progressive"), instance=joined)
        assert not form.is_valid()
        assert form.errors["threshold"] == ["Cette règle demande un seuil de capacité."]
    joined.refresh_from_db()
    assert joined.rule == "proportional" and joined.rule_params == {}


@pytest.mark.parametrize(
    ("language", "typed", "errors"),
    [
        (
            "fr-ca",
            {"rule": "base_plus_proportional", "base_fraction": "abc"},
            {"base_fraction": ["«\xa0abc\xa0» n’est pas un pourcentage\xa0: écrivez-le comme 12,5."]},
        ),
        (
            "en",
            {"rule": "base_plus_proportional", "base_fraction": "abc"},
            {"base_fraction": ["“abc” is not a percentage: write it as 12.5."]},
        ),
        (
            "en",
            {"rule": "progressive", "threshold": "lots"},
            {"threshold": ["“lots” is not a number: write it as 1,450.50."]},
        ),
    ],
)
def test_an_unreadable_parameter_is_refused_once_saying_what_it_should_be(joined, language, typed, errors):
    with translation.override(language):
        form = WhatIfForm({"pool": joined.pk, **typed}, pool=joined, parties=[])
        assert not form.is_valid()
        assert form.errors == errors


def test_a_fixed_split_with_both_percentages_and_amounts_is_refused(joined, parties):
    with translation.override("fr-ca"):
        form = CostPoolForm(
            pool_data(joined, rule="fixed", **{f"percentage_{parties[0].pk}": "100", f"amount_{parties[1].pk}": "5"}),
            instance=joined,
        )
        assert not form.is_valid()
        assert form.non_field_errors() == [
            "Donnez à chaque partenaire soit un pourcentage, soit un montant convenu, l’un des deux."
        ]


def test_the_what_if_shows_the_pools_own_parameters(joined):
    joined.rule, joined.rule_params = "base_plus_proportional", {"base_fraction": "0.5"}
    with translation.override("fr-ca"):
        form = WhatIfForm(pool=joined, parties=[])
        assert 'value="50,00"' in str(form["base_fraction"])
        assert 'id="what-if-%s-threshold"' % joined.pk in str(form["threshold"])


def test_the_pool_admin_page_names_each_parameter_and_shows_it_with_its_rule(client, joined, finance_user):
    finance_user.is_staff = True
    finance_user.save()
    client.force_login(finance_user)
    page = client.get(reverse("admin:sharedcosts_costpool_change", args=[joined.pk])).content.decode()
    assert "Part fixe répartie à parts égales (%)" in page and "Seuil de capacité" in page
    assert 'data-rule="progressive"' in page and "js/rule_params.js" in page
    assert 'name="rule_params"' not in page and "JSON" not in page
