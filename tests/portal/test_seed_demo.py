import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from ledger.models import Membership, Party, Sector, Transaction
from ledger.selectors import account_balance
from ledger.models import Account

pytestmark = pytest.mark.django_db


def test_the_demo_territory_loads_once_however_often_it_is_run():
    call_command("seed_demo", stdout=None)
    counts = (Party.objects.count(), get_user_model().objects.count(), Membership.objects.count(), Transaction.objects.count())
    call_command("seed_demo")
    assert (Party.objects.count(), get_user_model().objects.count(), Membership.objects.count(), Transaction.objects.count()) == counts
    assert Party.objects.filter(sector=Sector.NORD).count() >= 5
    assert Party.objects.filter(sector=Sector.SUD).count() >= 5
    assert Party.objects.filter(name="Maison des jeunes de Saint-Jérôme").exists()
    assert get_user_model().objects.get(username="administrateur").groups.filter(name="administrators").exists()
    assert get_user_model().objects.get(username="coordo-nord").memberships.count() == 2
    liaison = Party.objects.get(name="Maison des jeunes de Saint-Jérôme").liaison_email
    assert liaison == "maisondesjeunesdesaintje@partenaires.example"
    support = Account.objects.get(code="SITE-SOUTIEN")
    assert account_balance(account=support).amount == 60000 - 4500 - 2750


def test_partners_scale_the_territory_up_for_benchmarks():
    call_command("seed_demo", partners=40)
    call_command("seed_demo", partners=40)
    assert Party.objects.filter(name__startswith="Organisme partenaire ").count() == 40


def test_the_demo_statements_carry_exact_cents_with_no_float_noise(client):
    """A partner's statement CSV of the demo reads 3123,63 in French (semicolons), never 3123.63000000000."""
    call_command("seed_demo")
    member = get_user_model().objects.get(username="mdj-sj")
    party = Party.objects.get(name="Maison des jeunes de Saint-Jérôme")
    client.force_login(member)
    amounts: list[str] = []
    for year in (2025, 2026):
        response = client.get(reverse("portal:statement_csv", args=[party.pk]) + f"?annee={year}")
        assert response.status_code == 200
        assert response.content.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        amounts += [rows[3][1], rows[-1][1]] + [cell for row in rows[5:-1] for cell in row[4:6]]
    assert len(amounts) > 6
    assert all(re.fullmatch(r"-?\d+,\d{2}", amount) for amount in amounts), amounts
