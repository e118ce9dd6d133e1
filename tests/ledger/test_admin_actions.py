"""The admin's own deletion reads as the reader's language writes it, whatever the gender of the rows."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "model", "expected"),
    [
        ("fr-ca", "sharedcosts_expense", "Supprimer la sélection (dépenses partagées)"),
        ("fr-ca", "ledger_party", "Supprimer la sélection (partenaires)"),
        ("en", "sharedcosts_expense", "Delete the selection (shared expenses)"),
    ],
)
def test_the_delete_action_agrees_with_the_rows_whatever_their_gender(client, administrator, settings, language, model, expected):
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    client.force_login(administrator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200
    choices = dict(response.context["action_form"].fields["action"].choices)
    assert choices["delete_selected"] == expected
