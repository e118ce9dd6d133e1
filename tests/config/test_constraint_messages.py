"""No constraint's name reaches a person: each says in words what it asks, in French and in English."""

import pytest
from django.apps import apps
from django.db.models import CheckConstraint, UniqueConstraint
from django.utils import translation

PROJECT_APPS = ("ledger", "grants", "sharedcosts", "spreadsheets", "portal")


def _constraints_a_form_checks():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for constraint in model._meta.constraints:
            # A unique constraint on fields says "… with this … already exists" in Django's own words.
            if isinstance(constraint, CheckConstraint) or (isinstance(constraint, UniqueConstraint) and constraint.condition):
                yield pytest.param(constraint, id=constraint.name)


@pytest.mark.parametrize("constraint", list(_constraints_a_form_checks()))
def test_every_constraint_says_what_it_asks_in_french_and_in_english(constraint):
    with translation.override("fr-ca"):
        french = constraint.get_violation_error_message()
    with translation.override("en"):
        english = constraint.get_violation_error_message()
    assert constraint.name not in french and constraint.name not in english
    assert french != english
