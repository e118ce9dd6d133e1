import re
from datetime import date

import pytest
from django.urls import reverse

from grants.models import AmendmentProposal, Grant, GrantStatus, InstalmentStatus, ProposalStatus

from .conftest import cad

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_of(client):
    def login(user):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        client.force_login(user)
        return client

    return login


def test_programmes_show_their_committed_disbursed_and_available_amounts(admin_client_of, administrator, make_grant):
    make_grant()
    page = admin_client_of(administrator).get(reverse("admin:grants_fundingprogramme_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "90\u00a0000,00\u00a0$" in text or "90 000,00 $" in text or "90,000.00" in text


def test_the_approve_action_needs_an_administrator(admin_client_of, finance_user, administrator, make_grant):
    grant = make_grant(approve=False)
    url = reverse("admin:grants_grant_changelist")
    admin_client_of(finance_user).post(url, {"action": "approve_grants", "_selected_action": [grant.pk]})
    assert Grant.objects.get().status == GrantStatus.DRAFT
    admin_client_of(administrator).post(url, {"action": "approve_grants", "_selected_action": [grant.pk]})
    assert Grant.objects.get().status == GrantStatus.APPROVED


def test_a_grant_is_created_with_its_budget_and_schedule_from_the_admin(admin_client_of, finance_user, programme, party):
    client = admin_client_of(finance_user)
    data = {
        "programme": programme.pk,
        "party": party.pk,
        "title": "Soirées 16-25 ans",
        "purpose": "joint_project",
        "amount_0": "900.00",
        "amount_1": "CAD",
        "start_date": "2025-04-01",
        "end_date": "2026-03-31",
        "frequency": "dates",
        "dates": "2025-05-01, 2025-06-01",
        "budget_activities_0": "900.00",
        "budget_activities_1": "CAD",
    }
    response = client.post(reverse("admin:grants_grant_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    grant = Grant.objects.get()
    assert [i.amount for i in grant.instalments.order_by("sequence")] == [cad("450.00"), cad("450.00")]
    data["budget_activities_0"] = "800.00"
    response = client.post(reverse("admin:grants_grant_add"), data)
    assert response.status_code == 200 and Grant.objects.count() == 1


def test_an_amendment_proposed_on_the_amend_page_is_approved_by_another_administrator(
    admin_client_of, administrator, second_administrator, make_grant
):
    grant = make_grant()
    client = admin_client_of(administrator)
    url = reverse("admin:grants_grant_amend", args=[grant.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"amount_0": "9000.00", "amount_1": "CAD", "end_date": "2026-03-31", "reason": "x"})
    assert response.status_code == 302
    assert Grant.objects.get().amount == cad("10000.00")
    proposal = AmendmentProposal.objects.get()
    page = client.get(reverse("admin:grants_grant_change", args=[grant.pk])).content.decode()
    assert "Montant\u00a0: 10\u00a0000,00\u00a0$ devient 9\u00a0000,00\u00a0$." in page
    changelist = reverse("admin:grants_amendmentproposal_changelist")
    client.post(changelist, {"action": "approve_proposals", "_selected_action": [proposal.pk]})
    assert Grant.objects.get().amount == cad("10000.00")
    assert AmendmentProposal.objects.get().status == ProposalStatus.PROPOSED
    client = admin_client_of(second_administrator)
    assert client.get(reverse("admin:grants_amendmentproposal_change", args=[proposal.pk])).status_code == 200
    client.post(changelist, {"action": "approve_proposals", "_selected_action": [proposal.pk]})
    assert Grant.objects.get().amount == cad("9000.00")
    assert grant.instalments.get(sequence=1).amount == cad("3000.00")
    assert date(2025, 5, 1) == grant.instalments.get(sequence=1).due_date


def test_the_pages_of_a_grant_and_a_programme_open(admin_client_of, administrator, make_grant, programme):
    grant = make_grant()
    client = admin_client_of(administrator)
    for url in [
        reverse("admin:grants_grant_change", args=[grant.pk]),
        reverse("admin:grants_grant_add"),
        reverse("admin:grants_fundingprogramme_change", args=[programme.pk]),
        reverse("admin:grants_fundingprogramme_add"),
        reverse("admin:grants_instalment_changelist"),
    ]:
        assert client.get(url).status_code == 200, url


def test_a_programme_added_in_the_admin_is_funded(admin_client_of, finance_user):
    from grants.models import FundingProgramme
    from ledger.selectors import account_balance

    client = admin_client_of(finance_user)
    response = client.post(
        reverse("admin:grants_fundingprogramme_add"),
        {"name": "Nouveau", "fiscal_year": "2025", "amount_0": "5000.00", "amount_1": "CAD", "holds_on_overdue_report": "on"},
    )
    assert response.status_code == 302
    programme = FundingProgramme.objects.get(name="Nouveau")
    assert account_balance(account=programme.fund_account) == cad("5000.00")


def test_the_plan_reports_action_plans_each_selected_grant_once(admin_client_of, finance_user, make_grant):
    grant = make_grant()
    client = admin_client_of(finance_user)
    url = reverse("admin:grants_grant_changelist")
    for _ in range(2):
        client.post(url, {"action": "plan_reports", "_selected_action": [grant.pk]})
    assert grant.report_requirements.count() == 2


def test_the_instalment_actions_tell_each_refusal_in_the_services_words(admin_client_of, administrator, make_grant):
    grant = make_grant(approve=False)
    instalment = grant.instalments.get(sequence=1)
    url = reverse("admin:grants_instalment_changelist")
    client = admin_client_of(administrator)
    for action in ("pay_now", "reverse_payments"):
        response = client.post(url, {"action": action, "_selected_action": [instalment.pk]}, follow=True)
        refusals = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
        assert len(refusals) == 1 and refusals[0].startswith("Le versement 1 ")
    instalment.refresh_from_db()
    assert instalment.status == InstalmentStatus.SCHEDULED


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_a_grant_history_reads_in_words(admin_client_of, administrator, make_grant, settings, language):
    administrator.first_name, administrator.last_name = "Aline", "Gagnon"
    administrator.save(update_fields=["first_name", "last_name"])
    grant = make_grant()
    client = admin_client_of(administrator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("admin:grants_grant_history", args=[grant.pk])).content.decode()
    changes = " ".join(re.findall(r"<li><strong>.*?</li>", page, flags=re.DOTALL))
    assert changes
    for code in ("pk=", "None", "draft", "approved", "+00:00"):
        assert code not in page if code in ("pk=", "None", "+00:00") else code not in changes
    assert "Aline Gagnon" in page
    if language == "fr-ca":
        assert "Brouillon" in changes and "Approuvée" in changes
        assert "Ce qui a changé" in page
        assert re.search(r"\d{4}, \d{1,2}\xa0h\xa0\d\d", page)
    else:
        assert "Draft" in changes and "Approved" in changes
        assert "What changed" in page
        assert re.search(r"\d{4}, \d{1,2}:\d\d [ap]\.m\.", page)


def test_a_grant_ending_before_it_starts_is_refused_in_words_never_by_the_constraints_name(
    admin_client_of, finance_user, programme, party
):
    data = {
        "programme": programme.pk, "party": party.pk, "title": "Soirées 16-25 ans", "purpose": "joint_project",
        "amount_0": "900,00", "amount_1": "CAD", "start_date": "2025-04-01", "end_date": "2025-03-31",
        "frequency": "dates", "dates": "", "budget_activities_0": "900,00", "budget_activities_1": "CAD",
    }
    response = admin_client_of(finance_user).post(reverse("admin:grants_grant_add"), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Grant.objects.exists()
    assert "La date de fin ne peut pas précéder la date de début." in page
    assert "grants_grant_dates_ordered" not in page
    assert "contrainte" not in page.lower()


def grant_page(client, grant, settings, language="fr-ca") -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("admin:grants_grant_change", args=[grant.pk]))
    assert response.status_code == 200
    return response.content.decode()


def buttons(page: str) -> list[str]:
    """The acts a grant's page offers, in the order shown: its submit buttons and its amendment link."""
    pattern = r'<input type="submit"[^>]*value="([^"]*)"|<a class="button"[^>]*>([^<]*)</a>'
    return [value or text for value, text in re.findall(pattern, page)]


@pytest.mark.parametrize(
    ("language", "acts"),
    [
        ("fr-ca", ["Approuver la subvention", "Proposer une modification", "Annuler la subvention"]),
        ("en", ["Approve the grant", "Propose an amendment", "Cancel the grant"]),
    ],
)
def test_a_draft_grant_offers_its_acts_and_no_save_buttons(admin_client_of, administrator, make_grant, settings, language, acts):
    page = grant_page(admin_client_of(administrator), make_grant(approve=False), settings, language)
    assert buttons(page) == acts
    assert 'name="_save"' not in page and 'name="_continue"' not in page and 'name="_addanother"' not in page


def test_whoever_prepared_a_draft_is_not_offered_to_approve_it(admin_client_of, second_administrator, make_grant, settings):
    grant = make_grant(approve=False)
    grant.created_by = second_administrator
    grant.save(update_fields=["created_by"])
    page = grant_page(admin_client_of(second_administrator), grant, settings)
    assert buttons(page) == ["Proposer une modification", "Annuler la subvention"]


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("fr-ca", "Vous ne pouvez plus rien changer à cette subvention; son historique garde ce qui a été fait."),
        ("en", "Nothing of this grant can be changed by you now; its history keeps what was done."),
    ],
)
def test_finance_staff_are_offered_no_act_and_told_so(admin_client_of, finance_user, make_grant, settings, language, sentence):
    page = grant_page(admin_client_of(finance_user), make_grant(approve=False), settings, language)
    assert buttons(page) == []
    assert sentence in page


def test_a_cancelled_grant_offers_nothing(admin_client_of, administrator, make_grant, settings):
    client = admin_client_of(administrator)
    grant = make_grant()
    client.post(reverse("admin:grants_grant_cancel", args=[grant.pk]))
    assert Grant.objects.get().status == GrantStatus.CANCELLED
    assert buttons(grant_page(client, grant, settings)) == []


def test_the_approve_button_approves_and_says_so(admin_client_of, administrator, make_grant, settings):
    client = admin_client_of(administrator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr-ca"
    grant = make_grant(approve=False)
    response = client.post(reverse("admin:grants_grant_approve", args=[grant.pk]), follow=True)
    assert Grant.objects.get().status == GrantStatus.APPROVED
    assert [str(m) for m in response.context["messages"]] == ["La subvention Soirées 16-25 ans est approuvée."]
    assert response.redirect_chain[-1][0] == reverse("admin:grants_grant_change", args=[grant.pk])


def test_an_act_refused_by_the_service_is_told_on_the_page(admin_client_of, finance_user, make_grant, settings):
    client = admin_client_of(finance_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    grant = make_grant(approve=False)
    response = client.post(reverse("admin:grants_grant_approve", args=[grant.pk]), follow=True)
    assert Grant.objects.get().status == GrantStatus.DRAFT
    assert [(m.level_tag, str(m)) for m in response.context["messages"]] == [("error", "Only an administrator can approve a grant.")]


def test_an_act_is_never_done_by_a_get(admin_client_of, administrator, make_grant):
    grant = make_grant(approve=False)
    assert admin_client_of(administrator).get(reverse("admin:grants_grant_approve", args=[grant.pk])).status_code == 403
    assert Grant.objects.get().status == GrantStatus.DRAFT


def test_a_grant_page_names_its_people_without_links_and_its_labels_agree_with_une_subvention(
    admin_client_of, administrator, finance_user, make_grant
):
    finance_user.first_name, finance_user.last_name = "Sophie", "Lévesque"
    finance_user.save(update_fields=["first_name", "last_name"])
    grant = make_grant()
    page = admin_client_of(administrator).get(reverse("admin:grants_grant_change", args=[grant.pk])).content.decode()
    labels = re.findall(r"<label>([^<]*)</label>", page)
    assert {"Créée le\xa0:", "Créée par\xa0:", "Approuvée le\xa0:", "Approuvée par\xa0:"} <= set(labels)
    assert "Créé le\xa0:" not in labels
    assert '<div class="readonly">Sophie Lévesque</div>' in page
    assert "/admin/auth/user/" not in page


def test_a_submitted_report_s_page_names_who_submitted_it_and_offers_no_save(admin_client_of, finance_user, requirement, member):
    from grants.services import report_save

    from .conftest import complete

    member.first_name, member.last_name = "Sophie", "Lévesque"
    member.save(update_fields=["first_name", "last_name"])
    report = report_save(requirement=requirement, user=member, data=complete(), submit=True, expected_versions=0)
    page = admin_client_of(finance_user).get(reverse("admin:grants_projectreport_change", args=[report.pk])).content.decode()
    assert "Sophie Lévesque" in page
    assert "/admin/auth/user/" not in page
    assert 'name="_save"' not in page and 'name="_continue"' not in page


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("fr-ca", ["Nouveau montant\u00a0:", "Nouvelle date de fin\u00a0:", "Motif\u00a0:"]),
        ("en", ["New amount:", "New end date:", "Reason:"]),
    ],
)
def test_the_amend_page_names_its_fields_with_a_capital_and_offers_the_calendar(
    admin_client_of, administrator, make_grant, settings, language, labels
):
    grant = make_grant()
    client = admin_client_of(administrator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("admin:grants_grant_amend", args=[grant.pk])).content.decode()
    assert re.findall(r"<label[^>]*>([^<]*)</label>", page)[-3:] == labels
    assert re.search(r'<input type="text" name="end_date" value="2026-03-31" class="vDateField"', page)
