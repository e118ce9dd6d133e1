"""A partner's positions: a posted share of zero shows its amount, the position across pools beside each pool's,
and a member of two organisations switches between them from any page, each with its position."""

import pytest
from django.urls import reverse
from moneyed import Money

from ledger.models import Membership
from portal import selectors
from portal.selectors import PoolRow, pools_position
from sharedcosts.models import Participation

from .test_pages import text

pytestmark = pytest.mark.django_db


def test_a_posted_share_of_zero_shows_its_amount_and_the_position_across_pools_is_their_sum(
    client, party, world, member_a, monkeypatch
):
    participation = Participation.objects.get(pool=world["pool"], party=party)
    rows = [
        PoolRow(participation=participation, share=Money("0.00", "CAD"), balance=Money("-100.00", "CAD")),
        PoolRow(participation=participation, share=None, balance=Money("250.50", "CAD")),
    ]
    monkeypatch.setattr(selectors, "pool_rows", lambda party: rows)
    client.force_login(member_a)
    page = text(client.get(reverse("portal:party", args=[party.pk])))
    assert 'data-label="Votre part">0,00 $</td>' in page
    assert page.count("pas encore établie") == 1  # the share not posted yet, and only it
    assert "Votre position sur l’ensemble de vos regroupements" in page
    assert "<strong>150,50 $</strong>" in page


def test_the_position_across_pools_is_one_sum_per_currency(party, world):
    participation = Participation.objects.get(pool=world["pool"], party=party)
    rows = [
        PoolRow(participation=participation, share=None, balance=Money(amount, currency))
        for amount, currency in (("10.00", "USD"), ("-0.01", "CAD"), ("5.01", "CAD"))
    ]
    assert pools_position(rows) == [Money("5.00", "CAD"), Money("10.00", "USD")]
    assert pools_position([]) == []


def test_a_member_of_two_organisations_switches_from_any_page_and_sees_each_position(
    client, party, other_party, world, member_a, member_b
):
    client.force_login(member_a)
    assert "Changer d’organisme" not in text(client.get(reverse("portal:party", args=[party.pk])))
    Membership.objects.create(user=member_a, party=other_party)
    for url in (reverse("portal:party", args=[party.pk]), reverse("portal:statement", args=[other_party.pk])):
        assert f'<a href="{reverse("portal:home")}">Changer d’organisme</a>' in text(client.get(url))
    chooser = text(client.get(reverse("portal:home")))
    assert chooser.count("Position sur ses regroupements : <strong>0,00 $</strong>") == 2
    assert party.name in chooser and other_party.name in chooser
