import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from moneyed import Money

from ledger.models import FiscalPeriod, Transaction, TransactionKind
from ledger.services import Line, transaction_post, transaction_reverse
from sharedcosts.models import Expense
from sharedcosts.services import expense_post

from .conftest import A

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, finance_user):
    finance_user.is_staff = True
    finance_user.save()
    client.force_login(finance_user)
    return client


@pytest.fixture
def posted(cash, party_account):
    txn, _ = transaction_post(
        lines=[Line(account=cash, amount=Money("-80.00", "CAD")), Line(account=party_account, amount=Money("80.00", "CAD"))],
        date=date(2025, 6, 1),
        kind=TransactionKind.ADJUSTMENT,
        idempotency_key="admin:1",
    )
    return txn


@pytest.mark.parametrize("model", ["party", "membership", "account", "fiscalperiod", "transaction"])
def test_finance_staff_list_the_ledger_in_french(staff_client, posted, model):
    response = staff_client.get(reverse(f"admin:ledger_{model}_changelist"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr-ca"


def test_the_account_list_shows_balances(staff_client, posted):
    response = staff_client.get(reverse("admin:ledger_account_changelist"))
    assert "80,00\xa0$" in response.content.decode()


def test_a_posted_transaction_is_read_only_in_the_admin(staff_client, posted):
    url = reverse("admin:ledger_transaction_change", args=[posted.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert 'name="memo"' not in response.content.decode()
    staff_client.post(url, {"memo": "changed"})
    assert Transaction.objects.get(pk=posted.pk).memo == ""
    assert staff_client.post(reverse("admin:ledger_transaction_delete", args=[posted.pk])).status_code == 403


def test_the_reverse_action_posts_a_reversal(staff_client, posted):
    staff_client.post(
        reverse("admin:ledger_transaction_changelist"),
        {"action": "reverse_transactions", "_selected_action": [posted.pk]},
    )
    reversal = Transaction.objects.get(reverses=posted)
    assert sorted(reversal.entries.values_list("amount", flat=True)) == [Decimal("-80.00"), Decimal("80.00")]


def adjustment(cash, party_account, request_id, amounts=("-15.00", "15.00")):
    data = {
        "date": "2025-07-02",
        "memo": "Correction",
        "request_id": request_id,
        "lines-TOTAL_FORMS": "4",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "2",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for index, (account, amount) in enumerate(zip([cash, party_account], amounts)):
        data[f"lines-{index}-account"] = account.pk
        data[f"lines-{index}-amount_0"] = amount
        data[f"lines-{index}-amount_1"] = "CAD"
    return data


def test_an_adjustment_sent_twice_is_posted_once(staff_client, cash, party_account):
    url = reverse("admin:ledger_transaction_adjustment")
    data = adjustment(cash, party_account, "2b1f0a4e-8d1c-4c38-9a51-5b2f2c0d9e11")
    assert staff_client.post(url, data).status_code == 302
    assert staff_client.post(url, data).status_code == 302
    assert Transaction.objects.filter(kind=TransactionKind.ADJUSTMENT).count() == 1


def test_an_unbalanced_adjustment_is_refused_in_french_and_nothing_is_posted(staff_client, cash, party_account):
    url = reverse("admin:ledger_transaction_adjustment")
    data = adjustment(cash, party_account, "7c9e6679-7425-40de-944b-e07fc1f90ae7", amounts=("-15.00", "14.00"))
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "ne sont pas équilibrées" in response.content.decode()
    assert not Transaction.objects.exists()


ADJUSTMENT_WORDS = {
    "fr-ca": {
        "labels": ['for="id_date">Date\u00a0:</label>', 'for="id_memo">Libellé\u00a0:</label>'],
        "too_few": "Une écriture demande au moins deux lignes.",
        "django": "Veuillez soumettre au moins",
    },
    "en": {
        "labels": ['for="id_date">Date:</label>', 'for="id_memo">Memo:</label>'],
        "too_few": "An adjustment needs at least two lines.",
        "django": "Please submit at least",
    },
}


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_the_adjustment_form_is_laid_out_as_the_admins_with_its_calendar(staff_client, settings, language):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = staff_client.get(reverse("admin:ledger_transaction_adjustment")).content.decode()
    for label in ADJUSTMENT_WORDS[language]["labels"]:
        assert label in page
    assert 'class="vDateField"' in page and "admin/js/admin/DateTimeShortcuts.js" in page
    assert "admin/js/core.js" in page


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_an_adjustment_of_one_line_is_refused_in_the_readers_words(staff_client, settings, cash, party_account, language):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    data = adjustment(cash, party_account, "0d7f6a2e-3b7c-4c1e-9d2f-6c1b2a3d4e5f")
    del data["lines-1-account"], data["lines-1-amount_0"]
    page = staff_client.post(reverse("admin:ledger_transaction_adjustment"), data).content.decode()
    assert ADJUSTMENT_WORDS[language]["too_few"] in page
    assert ADJUSTMENT_WORDS[language]["django"] not in page
    assert not Transaction.objects.filter(kind=TransactionKind.ADJUSTMENT).exists()


def test_a_missing_memo_is_said_in_the_memos_row(staff_client, cash, party_account):
    data = adjustment(cash, party_account, "5e3c1d2b-7a6f-4e8d-9c0b-1a2b3c4d5e6f")
    data["memo"] = ""
    page = staff_client.post(reverse("admin:ledger_transaction_adjustment"), data).content.decode()
    rows = {re.search(r"field-(\w+)", row).group(1): row for row in page.split('<div class="form-row')[1:] if "field-" in row}
    assert "Ce champ est obligatoire." in rows["memo"] and rows["memo"].startswith(" errors")
    assert "Ce champ est obligatoire." not in rows["date"]


def test_a_partner_user_cannot_reach_the_adjustment_form(client, django_user_model):
    user = django_user_model.objects.create_user(username="partner", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:ledger_transaction_adjustment")).status_code == 403


def test_closing_a_period_from_the_admin_needs_an_administrator(client, administrator, staff_client):
    FiscalPeriod.objects.get_or_create(start_year=2020)
    changelist = reverse("admin:ledger_fiscalperiod_changelist")
    staff_client.post(changelist, {"action": "close_periods", "_selected_action": [2020]})
    assert not FiscalPeriod.objects.get(pk=2020).is_closed
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    client.post(changelist, {"action": "close_periods", "_selected_action": [2020]})
    assert FiscalPeriod.objects.get(pk=2020).is_closed


def test_a_partners_page_shows_the_balance_of_each_of_its_accounts(staff_client, posted, party, party_account):
    page = staff_client.get(reverse("admin:ledger_party_change", args=[party.pk])).content.decode()
    row = f'<td><a href="{reverse("admin:ledger_account_change", args=[party_account.pk])}">Subventions reçues</a></td>'
    assert row + '<td class="amount">80,00\xa0$</td>' in page


def test_an_account_with_entries_shows_its_party_type_and_currency_read_only(staff_client, posted, party_account):
    page = staff_client.get(reverse("admin:ledger_account_change", args=[party_account.pk])).content.decode()
    assert 'name="type"' not in page and 'name="party"' not in page and 'name="currency"' not in page
    assert 'name="name"' in page


LINES = {
    "fr-ca": [
        "Versement 1 de la subvention Soirées 16-25 ans",
        f"Loyer, payé par {A} pour Locaux partagés",
        f"Contrepassation\xa0: Loyer, payé par {A} pour Locaux partagés",
        "Correction saisie à la main",
        "Ajustement",
    ],
    "en": [
        "Instalment 1 of the grant Soirées 16-25 ans",
        f"Loyer, paid by {A} for Locaux partagés",
        f"Reversal: Loyer, paid by {A} for Locaux partagés",
        "Correction saisie à la main",
        "Adjustment",
    ],
}


def transaction_lines(page: str) -> list[str]:
    return [html.unescape(cell) for cell in re.findall(r'<td class="field-line">(.*?)</td>', page)]


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_the_transaction_list_writes_each_line_in_the_readers_language(staff_client, settings, movements, language):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = staff_client.get(reverse("admin:ledger_transaction_changelist")).content.decode()
    assert [line for line in transaction_lines(page) if line in LINES[language]] == LINES[language][::-1]


def test_an_english_reader_sees_no_memo_stored_in_french(staff_client, settings, movements):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = staff_client.get(reverse("admin:ledger_transaction_changelist")).content.decode()
    assert "payé par" not in page and "Versement" not in page and "Contrepassation" not in page


@pytest.mark.parametrize(("language", "line"), [("fr-ca", LINES["fr-ca"][2]), ("en", LINES["en"][2])])
def test_a_transactions_page_writes_its_line_in_the_readers_language(staff_client, settings, movements, language, line):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = staff_client.get(reverse("admin:ledger_transaction_change", args=[movements["reversal"].pk])).content.decode()
    assert f'<div class="readonly">{html.escape(line, quote=False)}</div>' in page


def test_the_search_still_reads_the_stored_memo(staff_client, settings, movements):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = staff_client.get(reverse("admin:ledger_transaction_changelist"), {"q": "payé par"}).content.decode()
    assert transaction_lines(page) == [LINES["en"][1]]


def test_a_page_of_transactions_is_written_in_a_fixed_number_of_queries(
    staff_client, settings, movements, party, pool, finance_user, administrator
):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = staff_client.get(reverse("admin:ledger_transaction_changelist")).content.decode()
        assert f"Reversal: Loyer, paid by {A} for Locaux partagés" in transaction_lines(page)
        return len(queries)

    few = page_queries()
    for day in range(4, 14):
        expense = expense_post(
            expense=Expense.objects.create(
                pool=pool, payer=party, vendor=f"Traiteur {day}", date=date(2025, 6, day), amount=Money("10.00", "CAD")
            ),
            posted_by=finance_user,
        )
        transaction_reverse(original=expense.transaction, date=date(2025, 6, day), posted_by=administrator)
    assert page_queries() == few
    assert Transaction.objects.count() > 25


def test_an_english_reader_reads_a_partys_accounts_in_english(staff_client, settings, movements, party, pool):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = staff_client.get(reverse("admin:ledger_party_change", args=[party.pk])).content.decode()
    assert "Position in the pool Locaux partagés" in page and "Grants received (CAD)" in page
    assert "Position dans" not in page and "Subventions reçues" not in page
    accounts = staff_client.get(reverse("admin:ledger_account_changelist")).content.decode()
    assert '<td class="field-name_in_words">Position in the pool Locaux partagés</td>' in accounts
    assert "Position dans" not in accounts


def test_the_adjustment_form_names_each_account_in_the_readers_language(staff_client, settings, movements, party, pool):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = staff_client.get(reverse("admin:ledger_transaction_adjustment")).content.decode()
    assert f">POOL-{pool.pk}-P{party.pk} · Position in the pool Locaux partagés</option>" in page
    assert "Position dans" not in page


def test_a_transactions_entries_name_their_accounts_in_the_readers_language(staff_client, settings, movements, party, pool):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = staff_client.get(reverse("admin:ledger_transaction_change", args=[movements["expense"].pk])).content.decode()
    assert f"POOL-{pool.pk}-P{party.pk} · Position in the pool Locaux partagés</a>" in page
    assert f"POOL-{pool.pk}-COST · Cost of the pool Locaux partagés</a>" in page
    assert "Position dans" not in page and "Coût du regroupement" not in page


def test_a_transactions_page_names_its_accounts_at_once_whatever_its_number_of_entries(staff_client, cash, party_account):
    def page_queries(lines: int, key: str) -> int:
        posted = transaction_post(
            lines=[Line(account=cash, amount=Money(f"-{lines}.00", "CAD"))]
            + [Line(account=party_account, amount=Money("1.00", "CAD")) for _line in range(lines)],
            date=date(2025, 6, 1),
            kind=TransactionKind.ADJUSTMENT,
            idempotency_key=key,
            memo="Ajustement",
        ).transaction
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse("admin:ledger_transaction_change", args=[posted.pk])).status_code == 200
        return len(queries)

    assert page_queries(8, "entries:8") == page_queries(1, "entries:1")
