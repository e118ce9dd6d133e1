import re
from datetime import date

import pytest
from django.urls import reverse

from ledger.models import Transaction, TransactionKind
from sharedcosts.models import Allocation, AllocationStatus, Expense, InKindContribution
from sharedcosts.services import allocation_approve, allocation_compute, allocation_post, expense_post

from .conftest import cad

pytestmark = pytest.mark.django_db


def login(client, user):
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client


@pytest.fixture
def finance_client(client, finance_user):
    return login(client, finance_user)


@pytest.mark.parametrize(
    "model", ["costpool", "allocation", "expense", "inkindcontribution", "meansdeclaration"]
)
def test_finance_staff_list_shared_costs(finance_client, joined, model):
    response = finance_client.get(reverse(f"admin:sharedcosts_{model}_changelist"))
    assert response.status_code == 200


def test_the_means_list_filters_by_measure(finance_client, joined):
    response = finance_client.get(reverse("admin:sharedcosts_meansdeclaration_changelist") + "?measure=annual_budget")
    assert response.status_code == 200
    assert "Cégep de Saint-Jérôme" in response.content.decode()


def test_the_pool_page_shows_the_draft_shares_and_balances_before_approval(finance_client, joined, finance_user):
    allocation_compute(pool=joined, prepared_by=finance_user)
    response = finance_client.get(reverse("admin:sharedcosts_costpool_change", args=[joined.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2\xa0000,00\xa0$" in page
    assert "4\xa0000,00\xa0$" in page
    assert "0,00\xa0$" in page


@pytest.mark.parametrize(
    ("language", "ratio", "truncated", "heading"),
    [("fr-ca", "1,67", "1,66", "hors de la tolérance"), ("en", "1.67", "1.66", "outside the tolerance")],
)
def test_the_pool_page_rounds_the_effort_ratio_as_the_review_does(
    finance_client, joined, finance_user, settings, language, ratio, truncated, heading
):
    joined.rule = "equal"
    joined.save()
    allocation_compute(pool=joined, prepared_by=finance_user)  # the smallest party's ratio is 1.6667
    finance_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = finance_client.get(reverse("admin:sharedcosts_costpool_change", args=[joined.pk])).content.decode()
    assert f"<td>{ratio}</td>" in page
    assert f"<td>{truncated}</td>" not in page
    assert f"<th>{heading}</th>" in page


def test_the_compute_action_makes_a_draft(finance_client, joined, finance_user):
    finance_client.post(
        reverse("admin:sharedcosts_costpool_changelist"),
        {"action": "compute_allocations", "_selected_action": [joined.pk]},
    )
    allocation = Allocation.objects.get()
    assert allocation.status == AllocationStatus.DRAFT
    assert allocation.prepared_by == finance_user


def test_the_approve_action_refuses_self_approval_with_a_message(client, joined, administrator):
    allocation_compute(pool=joined, prepared_by=administrator)
    admin_client = login(client, administrator)
    response = admin_client.post(
        reverse("admin:sharedcosts_costpool_changelist"),
        {"action": "approve_allocations", "_selected_action": [joined.pk]},
        follow=True,
    )
    assert Allocation.objects.get().status == AllocationStatus.DRAFT
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_approve_and_post_actions(client, joined, finance_user, administrator):
    allocation_compute(pool=joined, prepared_by=finance_user)
    admin_client = login(client, administrator)
    url = reverse("admin:sharedcosts_costpool_changelist")
    admin_client.post(url, {"action": "approve_allocations", "_selected_action": [joined.pk]})
    assert Allocation.objects.get().status == AllocationStatus.APPROVED
    admin_client.post(url, {"action": "post_allocations", "_selected_action": [joined.pk]})
    allocation = Allocation.objects.get()
    assert allocation.status == AllocationStatus.POSTED
    assert Transaction.objects.filter(kind=TransactionKind.ALLOCATION).count() == 3


def test_the_expense_post_action_and_read_only_after(finance_client, joined, parties):
    expense = Expense.objects.create(pool=joined, payer=parties[0], vendor="Loyer", date=date(2025, 5, 1), amount=cad("900.00"))
    finance_client.post(
        reverse("admin:sharedcosts_expense_changelist"), {"action": "post", "_selected_action": [expense.pk]}
    )
    expense.refresh_from_db()
    assert expense.transaction.kind == TransactionKind.EXPENSE
    page = finance_client.get(reverse("admin:sharedcosts_expense_change", args=[expense.pk])).content.decode()
    assert 'name="vendor"' not in page
    assert 'name="_save"' not in page and 'name="_continue"' not in page and 'name="_addanother"' not in page


def test_the_in_kind_post_action(client, joined, parties, finance_user, administrator):
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    allocation_approve(allocation=allocation, approved_by=administrator)
    allocation_post(allocation=allocation, posted_by=administrator, date=date(2025, 5, 1))
    contribution = InKindContribution.objects.create(
        pool=joined, party=parties[0], description="Salle", value=cad("100.00"), justification="Tarif", date=date(2025, 5, 1)
    )
    login(client, finance_user).post(
        reverse("admin:sharedcosts_inkindcontribution_changelist"),
        {"action": "post", "_selected_action": [contribution.pk]},
    )
    contribution.refresh_from_db()
    assert contribution.transaction.kind == TransactionKind.IN_KIND


def test_a_posted_pool_page_shows_ledger_balances(finance_client, joined, parties, finance_user, administrator):
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    allocation_approve(allocation=allocation, approved_by=administrator)
    allocation_post(allocation=allocation, posted_by=administrator, date=date(2025, 5, 1))
    expense_post(
        expense=Expense.objects.create(pool=joined, payer=parties[1], vendor="Loyer", date=date(2025, 5, 1), amount=cad("10000.00")),
        posted_by=finance_user,
    )
    page = finance_client.get(reverse("admin:sharedcosts_costpool_change", args=[joined.pk])).content.decode()
    assert "6\xa0000,00\xa0$" in page
    assert "-2\xa0000,00\xa0$" in page or "−2\xa0000,00\xa0$" in page


def test_an_allocation_page_shows_its_inputs_as_a_table_in_words(finance_client, joined, finance_user):
    joined.rule, joined.rule_params = "base_plus_proportional", {"base_fraction": "0.5"}
    joined.save()
    allocation = allocation_compute(pool=joined, prepared_by=finance_user)
    page = finance_client.get(reverse("admin:sharedcosts_allocation_change", args=[allocation.pk])).content.decode()
    page_text = re.sub(r"<[^>]*>", " ", re.sub(r"<script.*?</script>", "", page, flags=re.DOTALL))
    assert "{\"" not in page_text and "{&quot;" not in page_text
    for code in ("base_plus_proportional", "base_fraction"):
        assert code not in page_text, page_text[page_text.find(code) - 300 : page_text.find(code) + 100]
    assert "Une base à parts égales, le reste selon la capacité" in page
    assert "50\xa0%" in page
    assert "Cégep de Saint-Jérôme" in page


def test_the_allocations_list_names_who_prepared_each_by_their_name(finance_client, joined, finance_user):
    finance_user.first_name, finance_user.last_name = "Aline", "Gagnon"
    finance_user.save(update_fields=["first_name", "last_name"])
    allocation_compute(pool=joined, prepared_by=finance_user)
    page = finance_client.get(reverse("admin:sharedcosts_allocation_changelist")).content.decode()
    assert "field-prepared_by nowrap\">Aline Gagnon<" in page
    assert finance_user.username not in re.sub(r"<[^>]*>", " ", page).split("Aline Gagnon", 1)[1]


def test_an_expense_amount_is_typed_the_french_way_in_the_admin(finance_client, joined, parties):
    add = reverse("admin:sharedcosts_expense_add")
    assert 'inputmode="decimal"' in finance_client.get(add).content.decode()
    response = finance_client.post(
        add,
        {"pool": joined.pk, "payer": parties[0].pk, "vendor": "Loyer", "date": "2025-05-01",
         "amount_0": "1 450,50", "amount_1": "CAD", "description": ""},
    )
    assert response.status_code == 302, response.content.decode()
    assert Expense.objects.get(vendor="Loyer").amount == cad("1450.50")


def test_an_expense_amount_that_reads_two_ways_is_refused_in_the_admin(finance_client, joined, parties):
    response = finance_client.post(
        reverse("admin:sharedcosts_expense_add"),
        {"pool": joined.pk, "payer": parties[0].pk, "vendor": "Loyer", "date": "2025-05-01",
         "amount_0": "1,450", "amount_1": "CAD", "description": ""},
    )
    assert response.status_code == 200
    assert "peut se lire de deux façons" in response.content.decode()
    assert not Expense.objects.filter(vendor="Loyer").exists()


def expense_row(pool, payer, *, amount="900.00", currency="CAD", day="2025-05-01"):
    return {"pool": pool.pk, "payer": payer.pk, "vendor": "Loyer", "date": day,
            "amount_0": amount, "amount_1": currency, "description": ""}


def told(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        ("fr-ca", "Cégep de Saint-Jérôme ne participe pas au regroupement Locaux partagés."),
        ("en", "Cégep de Saint-Jérôme does not take part in the pool Locaux partagés."),
    ],
)
def test_an_expense_paid_by_a_non_participant_is_refused_on_saving(
    finance_client, pool, party, third_party, settings, language, refusal
):
    from sharedcosts.models import Participation

    Participation.objects.create(pool=pool, party=party)
    finance_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = finance_client.post(reverse("admin:sharedcosts_expense_add"), expense_row(pool, third_party))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"payer": [refusal]}
    assert not Expense.objects.exists() and not Transaction.objects.exists()


@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        ("fr-ca", "La dépense est en USD, mais le regroupement Locaux partagés est tenu en CAD."),
        ("en", "The expense is in USD, but the pool Locaux partagés is kept in CAD."),
    ],
)
def test_an_expense_in_another_currency_than_its_pool_is_refused_on_saving(
    finance_client, joined, parties, settings, language, refusal
):
    finance_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = finance_client.post(reverse("admin:sharedcosts_expense_add"), expense_row(joined, parties[0], currency="USD"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"amount": [refusal]}
    assert not Expense.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr-ca", "La dépense «\xa0Loyer\xa0» de 900,00\xa0$ est enregistrée et comptabilisée au grand livre."),
        ("en", "The expense “Loyer” of $900.00 is saved and posted to the ledger."),
    ],
)
def test_a_saved_expense_is_posted_and_says_so(finance_client, joined, parties, settings, language, message):
    finance_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = finance_client.post(reverse("admin:sharedcosts_expense_add"), expense_row(joined, parties[0]), follow=True)
    assert told(response) == [("success", message)]
    expense = Expense.objects.get()
    assert expense.transaction.kind == TransactionKind.EXPENSE
    assert expense.transaction.entries.get(account__party=parties[0]).amount == cad("900.00")


def test_an_expense_the_ledger_refuses_is_saved_unposted_and_says_how_to_post_it(finance_client, joined, parties, settings):
    finance_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr-ca"
    response = finance_client.post(
        reverse("admin:sharedcosts_expense_add"), expense_row(joined, parties[0], day="2031-05-01"), follow=True
    )
    expense = Expense.objects.get()
    assert expense.transaction is None
    assert told(response) == [
        (
            "warning",
            "La dépense «\xa0Loyer\xa0» de 900,00\xa0$ est enregistrée, mais pas comptabilisée au grand livre\xa0: "
            "L’exercice 2031-2032 n’est pas ouvert; un administrateur doit l’ouvrir avant qu’on y comptabilise quoi que ce soit. "
            "Une fois cela réglé, comptabilisez-la depuis la liste avec l’action "
            "«\xa0Comptabiliser les dépenses sélectionnées au grand livre\xa0».",
        )
    ]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "fr-ca",
            "La contribution «\xa0Salle du jeudi\xa0» de 100,00\xa0$ est enregistrée, mais pas encore créditée au grand livre. "
            "Pour la créditer, cochez-la dans la liste et choisissez l’action "
            "«\xa0Créditer les contributions sélectionnées au grand livre\xa0».",
        ),
        (
            "en",
            "The contribution “Salle du jeudi” of $100.00 is recorded but not yet credited in the ledger. "
            "To credit it, tick it in the list and choose the action “Credit the selected contributions in the ledger”.",
        ),
    ],
)
def test_a_saved_in_kind_contribution_says_it_is_not_credited_yet_and_how_to_credit_it(
    finance_client, joined, parties, settings, language, message
):
    finance_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    row = {
        "pool": joined.pk, "party": parties[0].pk, "description": "Salle du jeudi", "value_0": "100.00", "value_1": "CAD",
        "justification": "Tarif", "date": "2025-05-01",
    }
    response = finance_client.post(reverse("admin:sharedcosts_inkindcontribution_add"), row, follow=True)
    assert told(response) == [("success", message)]
    assert InKindContribution.objects.get().transaction is None
