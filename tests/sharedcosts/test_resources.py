import pytest
from django.utils import translation

from spreadsheets.registry import IMPORTABLE
from spreadsheets.runs import file_export, file_import


def test_admin_has_import_and_export_buttons(admin_client, db):
    response = admin_client.get("/admin/sharedcosts/expense/import/")
    assert response.status_code == 200
    response = admin_client.get("/admin/sharedcosts/expense/export/")
    assert response.status_code == 200


def test_two_rows_for_the_same_expense_written_differently_are_refused(db, administrator):
    from pathlib import Path

    from sharedcosts.models import Expense

    samples = Path(__file__).resolve().parents[2] / "docs" / "samples"
    for name, path in (("partenaires", "01-partenaires.csv"), ("regroupements", "03-regroupements.csv"), ("participations", "04-participations.csv")):
        assert file_import(IMPORTABLE[name](), (samples / path).read_bytes(), dry_run=False, user=administrator).saved
    data = (
        "regroupement;payé par;fournisseur;date;montant\n"
        "Soirées 16-25 ans 2025;Travail de rue Laurentides;Traiteur;2025-06-15;100,00\n"
        "Soirées 16-25 ans 2025;Travail de rue Laurentides;Traiteur;15/06/2025;100.00 $\n"
    ).encode()
    report = file_import(IMPORTABLE["depenses"](), data, dry_run=False, user=administrator)
    assert [(e.row, e.message) for e in report.errors] == [(3, "Cette ligne répète la ligne 2.")]
    assert not Expense.objects.exists()


def test_a_dry_run_of_expenses_posts_nothing(db, administrator):
    from pathlib import Path

    from ledger.models import Transaction

    samples = Path(__file__).resolve().parents[2] / "docs" / "samples"
    for name, path in (("partenaires", "01-partenaires.csv"), ("regroupements", "03-regroupements.csv"), ("participations", "04-participations.csv")):
        file_import(IMPORTABLE[name](), (samples / path).read_bytes(), dry_run=False, user=administrator)
    report = file_import(IMPORTABLE["depenses"](), (samples / "05-depenses.csv").read_bytes(), dry_run=True, user=administrator)
    assert report.ok and report.created == 3
    assert not Transaction.objects.filter(kind="expense").exists()


def _pools_imported(administrator):
    from pathlib import Path

    samples = Path(__file__).resolve().parents[2] / "docs" / "samples"
    for name, path in (("partenaires", "01-partenaires.csv"), ("regroupements", "03-regroupements.csv"), ("participations", "04-participations.csv")):
        assert file_import(IMPORTABLE[name](), (samples / path).read_bytes(), dry_run=False, user=administrator).saved
    return samples


def test_in_kind_contributions_are_recorded_once_and_credited_later(db, administrator):
    from decimal import Decimal

    from sharedcosts.models import InKindContribution

    samples = _pools_imported(administrator)
    data = (samples / "05c-contributions.csv").read_bytes()
    assert file_import(IMPORTABLE["contributions"](), data, dry_run=False, user=administrator).created == 1
    again = file_import(IMPORTABLE["contributions"](), data, dry_run=False, user=administrator)
    assert again.created == 0 and again.skipped == 1
    contribution = InKindContribution.objects.get()
    assert contribution.value.amount == Decimal("1200.00") and contribution.transaction is None


def test_bad_in_kind_rows_are_row_errors_and_nothing_is_recorded(db, administrator):
    from sharedcosts.models import InKindContribution

    _pools_imported(administrator)
    data = (
        "regroupement;partenaire;description;valeur;devise;justification;date\n"
        "Local partagé 2025-2026;Maison des jeunes de Saint-Jérôme;Salle;100,00;USD;Tarif;2025-06-30\n"
        "Soirées 16-25 ans 2025;Carrefour jeunesse-emploi Rivière-du-Nord;Camion;50,00;CAD;Prix;2025-06-30\n"
        "Local partagé 2025-2026;Maison des jeunes de Saint-Jérôme;Rien;0,00;CAD;Aucun;2025-06-30\n"
    ).encode()
    report = file_import(IMPORTABLE["contributions"](), data, dry_run=False, user=administrator)
    assert [(error.row, error.column) for error in report.errors] == [(2, "devise"), (3, "partenaire"), (4, "valeur")]
    assert "ne participe pas au regroupement Soirées 16-25 ans 2025" in report.errors[1].message
    assert not InKindContribution.objects.exists()


def test_an_in_kind_contribution_already_credited_is_not_changed_by_an_import(db, administrator):
    from io import StringIO

    from django.core.management import call_command

    from sharedcosts.models import InKindContribution

    call_command("seed_demo", stdout=StringIO())
    credited = InKindContribution.objects.get(transaction__isnull=False)
    exported = file_export(IMPORTABLE["contributions"]()).decode("utf-8-sig")
    value = f"{credited.value.amount:.2f}".replace(".", ",")
    changed = exported.replace(f";{value};", ";1,00;").encode()
    assert changed != exported.encode()
    report = file_import(IMPORTABLE["contributions"](), changed, dry_run=False, user=administrator)
    assert "déjà créditée au grand livre" in report.errors[0].message
    credited.refresh_from_db()
    assert credited.value.amount > 1


def test_a_euro_sign_in_the_amount_is_not_thrown_away(db, administrator):
    from sharedcosts.models import Expense

    _pools_imported(administrator)
    header = "regroupement;payé par;fournisseur;date;montant;devise\r\n"
    messages = []
    for currency in ("", "CAD"):
        data = (header + f"Soirées 16-25 ans 2025;Travail de rue Laurentides;Traiteur;2025-06-15;1\u00a0234,56\u00a0€;{currency}\r\n").encode()
        report = file_import(IMPORTABLE["depenses"](), data, dry_run=False, user=administrator)
        assert [(e.row, e.column) for e in report.errors] == [(2, "devise")]
        messages.append(report.errors[0].message)
    assert messages[0] == "La dépense est en EUR, mais le regroupement Soirées 16-25 ans 2025 est tenu en CAD."
    assert not Expense.objects.exists()


def test_a_bare_dollar_sign_means_the_pools_currency(db, administrator):
    from decimal import Decimal

    from sharedcosts.models import CostPool, Expense

    _pools_imported(administrator)
    CostPool.objects.filter(name="Soirées 16-25 ans 2025").update(budgeted_cost_currency="USD")
    data = (
        "regroupement;payé par;fournisseur;date;montant\r\n"
        "Soirées 16-25 ans 2025;Travail de rue Laurentides;Traiteur;2025-06-15;1 234,56 $\r\n"
    ).encode()
    report = file_import(IMPORTABLE["depenses"](), data, dry_run=False, user=administrator)
    assert report.saved, report.errors
    assert Expense.objects.get().amount.amount == Decimal("1234.56")
    assert Expense.objects.get().amount_currency == "USD"


def _expense_typed_in_the_admin(administrator):
    from datetime import date

    from moneyed import Money

    from ledger.models import Party
    from sharedcosts.models import CostPool, Expense
    from sharedcosts.services import expense_post

    _pools_imported(administrator)
    expense = Expense.objects.create(
        pool=CostPool.objects.get(name="Soirées 16-25 ans 2025"),
        payer=Party.objects.get(name="Travail de rue Laurentides"),
        vendor="Traiteur du Nord",
        date=date(2025, 6, 15),
        amount=Money("1234.56", "CAD"),
        description="Repas",
    )
    return expense_post(expense=expense, posted_by=administrator)


def test_an_export_of_expenses_typed_in_the_admin_imports_without_posting_twice(db, administrator):
    from ledger.models import Transaction

    expense = _expense_typed_in_the_admin(administrator)
    exported = file_export(IMPORTABLE["depenses"]())
    assert str(expense.reference) in exported.decode("utf-8-sig")
    report = file_import(IMPORTABLE["depenses"](), exported, dry_run=False, user=administrator)
    assert report.saved and report.created == 0 and report.already_imported == 1
    assert Transaction.objects.filter(kind="expense").count() == 1


def test_an_exported_expense_changed_in_the_file_is_refused_and_must_be_reversed(db, administrator):
    from ledger.models import Transaction

    _expense_typed_in_the_admin(administrator)
    exported = file_export(IMPORTABLE["depenses"]()).decode("utf-8-sig")
    changed = exported.replace("1234,56", "1243,56").encode()
    report = file_import(IMPORTABLE["depenses"](), changed, dry_run=False, user=administrator)
    assert [e.row for e in report.errors] == [2]
    assert "(montant\xa0: 1\xa0234,56\xa0$ → 1\xa0243,56\xa0$)" in report.errors[0].message
    assert report.errors[0].message.endswith("corrigez-la par une contrepassation.")
    assert Transaction.objects.filter(kind="expense").count() == 1


def test_an_imported_expense_is_posted_under_its_reference_as_one_typed_in_the_admin(db, administrator):
    from sharedcosts.models import Expense

    _pools_imported(administrator)
    reference = "5f0c2b7e-0b1a-4c8e-9d3f-2a6b7c8d9e01"
    data = (
        "regroupement;payé par;fournisseur;date;montant;référence\r\n"
        f"Soirées 16-25 ans 2025;Travail de rue Laurentides;Traiteur;2025-06-15;100,00;{reference}\r\n"
    ).encode()
    assert file_import(IMPORTABLE["depenses"](), data, dry_run=False, user=administrator).saved
    expense = Expense.objects.get()
    assert str(expense.reference) == reference
    assert expense.transaction.idempotency_key == f"expense:{reference}"
    again = file_import(IMPORTABLE["depenses"](), data, dry_run=False, user=administrator)
    assert again.saved and again.already_imported == 1 and Expense.objects.count() == 1


def test_a_file_without_references_imported_twice_posts_once(db, administrator):
    from sharedcosts.models import Expense

    samples = _pools_imported(administrator)
    data = (samples / "05-depenses.csv").read_bytes()
    assert file_import(IMPORTABLE["depenses"](), data, dry_run=False, user=administrator).created == 3
    again = file_import(IMPORTABLE["depenses"](), data, dry_run=False, user=administrator)
    assert again.saved and again.created == 0 and again.already_imported == 3
    assert Expense.objects.count() == 3


def test_expenses_in_a_year_not_open_are_refused_all_or_nothing(db, administrator):
    from ledger.models import Transaction
    from sharedcosts.models import Expense

    _pools_imported(administrator)
    data = (
        "regroupement;payé par;fournisseur;date;montant\r\n"
        "Soirées 16-25 ans 2025;Travail de rue Laurentides;Traiteur;2025-06-15;100,00\r\n"
        "Soirées 16-25 ans 2025;Travail de rue Laurentides;Traiteur;2031-06-15;100,00\r\n"
    ).encode()
    report = file_import(IMPORTABLE["depenses"](), data, dry_run=False, user=administrator)
    assert not report.ok
    assert "2031" in report.errors[0].message
    assert not Expense.objects.exists() and not Transaction.objects.exists()


def test_an_in_kind_contribution_is_recognised_by_its_reference(db, administrator):
    from sharedcosts.models import InKindContribution

    samples = _pools_imported(administrator)
    file_import(IMPORTABLE["contributions"](), (samples / "05c-contributions.csv").read_bytes(), dry_run=False, user=administrator)
    exported = file_export(IMPORTABLE["contributions"]()).decode("utf-8-sig")
    renamed = exported.replace("Salle prêtée les mardis soir", "Salle prêtée le mardi").encode()
    report = file_import(IMPORTABLE["contributions"](), renamed, dry_run=False, user=administrator)
    assert report.saved and report.created == 0 and report.updated == 1
    assert InKindContribution.objects.get().description == "Salle prêtée le mardi"


MEANS_HEADER = "partenaire;mesure;valeur;date;source\r\n"


def test_means_imported_are_recorded_by_the_service_with_their_exact_values(party, other_party, finance_user):
    from datetime import date
    from decimal import Decimal

    from sharedcosts.models import MeansDeclaration

    data = (
        MEANS_HEADER
        + "Maison des jeunes de Saint-Jérôme;annual_budget;412\u00a0500,00\u00a0$;2025-03-31;États financiers audités 2024-2025\r\n"
        + "Travail de rue Laurentides;;287 300,50;31/03/2025;Rapport annuel 2024-2025\r\n"
    ).encode()
    report = file_import(IMPORTABLE["moyens"](), data, dry_run=False, user=finance_user)
    assert report.saved and report.created == 2, report.errors
    assert list(MeansDeclaration.objects.order_by("party__name").values_list("party__name", "measure", "value", "as_of", "source")) == [
        ("Maison des jeunes de Saint-Jérôme", "annual_budget", Decimal("412500.00"), date(2025, 3, 31), "États financiers audités 2024-2025"),
        ("Travail de rue Laurentides", "annual_budget", Decimal("287300.50"), date(2025, 3, 31), "Rapport annuel 2024-2025"),
    ]
    assert [(h.history_type, h.history_user) for h in MeansDeclaration.history.all()] == [("+", finance_user), ("+", finance_user)]
    again = file_import(IMPORTABLE["moyens"](), data, dry_run=False, user=finance_user)
    assert again.saved and (again.created, again.updated, again.skipped) == (0, 0, 2)
    corrected = file_import(IMPORTABLE["moyens"](), data.replace(b"287 300,50", b"287 350,50"), dry_run=False, user=finance_user)
    assert corrected.saved and (corrected.created, corrected.updated, corrected.skipped) == (0, 1, 1)
    declaration = MeansDeclaration.objects.get(party=other_party)
    assert declaration.value == Decimal("287350.50")
    assert [(h.history_type, h.value) for h in declaration.history.order_by("history_id")] == [
        ("+", Decimal("287300.50")),
        ("~", Decimal("287350.50")),
    ]


def test_a_partner_members_import_of_means_is_refused_and_writes_nothing(partner_member):
    from sharedcosts.models import MeansDeclaration

    data = (MEANS_HEADER + "Maison des jeunes de Saint-Jérôme;annual_budget;412 500,00;2025-03-31;États financiers\r\n").encode()
    report = file_import(IMPORTABLE["moyens"](), data, dry_run=False, user=partner_member)
    assert [(error.row, error.column, error.message) for error in report.errors] == [
        (1, "", "Seuls le personnel des finances ou un administrateur peuvent enregistrer ceci.")
    ]
    assert not report.saved
    assert not MeansDeclaration.objects.exists() and not MeansDeclaration.history.exists()


def test_means_the_service_would_refuse_are_refused_on_their_line_and_column(party, other_party, finance_user):
    from sharedcosts.models import MeansDeclaration

    data = (
        MEANS_HEADER
        + "Maison des jeunes de Saint-Jérôme;annual_budget;412 500,00;2025-03-31;États financiers\r\n"
        + "Travail de rue Laurentides;annual_budget;-5,00;2025-03-31;États financiers\r\n"
        + "Maison des jeunes de Saint-Jérôme;staff;100 000 000 000 000;2025-03-31;Rapport RH\r\n"
        + "Travail de rue Laurentides;staff;12;2025-03-31; \r\n"
    ).encode()
    report = file_import(IMPORTABLE["moyens"](), data, dry_run=False, user=finance_user)
    assert [(error.row, error.column, error.message) for error in report.errors] == [
        (3, "valeur", "La capacité de Travail de rue Laurentides ne peut pas être négative\u00a0: -5,00."),
        (
            4,
            "valeur",
            "La capacité de Maison des jeunes de Saint-Jérôme dépasse ce que les livres peuvent inscrire "
            "(au plus 99\u00a0999\u00a0999\u00a0999\u00a0999,99).",
        ),
        (5, "source", "Indiquez d’où vient ce chiffre."),
    ]
    assert not MeansDeclaration.objects.exists() and not MeansDeclaration.history.exists()


POOLS = "/admin/sharedcosts/costpool/"
POOL_HEADER = "nom;type;coût budgété;devise;début;fin;règle;paramètres\n"


def _pool_rows(party, other_party) -> bytes:
    def row(name: str, currency: str, rule: str, params: str) -> str:
        return f'{name};premises;36 000,00;{currency};2025-04-01;2026-03-31;{rule};"{params.replace(chr(34), chr(34) * 2)}"\n'

    return (
        POOL_HEADER
        + row("Local A", "CAD", "base_plus_proportional", '{"base_fraction": "0.25"}')
        + row("Local B", "CAD", "progressive", '{"threshold": "100000"}')
        + row("Local C", "CAD", "fixed", f'{{"percentages": {{"{party.name}": "40", "{other_party.name}": "60"}}}}')
        + row("Local D", "USD", "fixed", f'{{"amounts": {{"{party.name}": "1200"}}}}')
        + row("Local E", "CAD", "equal", "")
    ).encode()


@pytest.mark.parametrize(
    ("language", "shown", "change"),
    [
        (
            "fr-ca",
            [
                "part fixe répartie à parts égales\xa0: 25\xa0%",
                "seuil de capacité\xa0: 100\xa0000,00",
                "pourcentage de chaque partenaire\xa0: Maison des jeunes de Saint-Jérôme\xa0: 40\xa0%; "
                "Travail de rue Laurentides\xa0: 60\xa0%",
                "montant convenu de chaque partenaire\xa0: Maison des jeunes de Saint-Jérôme\xa0: 1\xa0200,00\xa0$\xa0US",
                "",
            ],
            ("part fixe répartie à parts égales\xa0: 50\xa0%", "part fixe répartie à parts égales\xa0: 25\xa0%"),
        ),
        (
            "en",
            [
                "fixed part shared equally: 25%",
                "threshold of means: 100,000.00",
                "percentage of each party: Maison des jeunes de Saint-Jérôme: 40%; Travail de rue Laurentides: 60%",
                "agreed amount of each party: Maison des jeunes de Saint-Jérôme: US$1,200.00",
                "",
            ],
            ("fixed part shared equally: 50%", "fixed part shared equally: 25%"),
        ),
    ],
)
def test_the_pools_preview_names_the_rule_parameters_in_words_and_the_file_keeps_its_json(
    admin_client, settings, party, other_party, language, shown, change
):
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile
    from moneyed import Money

    from sharedcosts.models import CostPool

    CostPool.objects.create(
        name="Local A", kind="premises", budgeted_cost=Money("36000.00", "CAD"), start_date=date(2025, 4, 1),
        end_date=date(2026, 3, 31), rule="base_plus_proportional", rule_params={"base_fraction": "0.5"},
    )
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    upload = SimpleUploadedFile("regroupements.csv", _pool_rows(party, other_party), "text/csv")
    response = admin_client.post(POOLS + "import/", {"resource": "0", "import_file": upload})
    preview = response.context["report"].preview
    assert [row.values["paramètres"] for row in preview] == shown
    assert preview[0].changes == {"paramètres": change}
    page = response.content.decode()
    assert "{&quot;" not in page and '{"' not in page and "base_fraction" not in page
    response = admin_client.post(POOLS + "process_import/", response.context["confirm_form"].initial)
    assert response.status_code == 302
    assert [pool.rule_params for pool in CostPool.objects.order_by("name")] == [
        {"base_fraction": "0.25"},
        {"threshold": "100000"},
        {"percentages": {str(party.pk): "40", str(other_party.pk): "60"}},
        {"amounts": {str(party.pk): "1200"}},
        {},
    ]


def test_an_export_of_pools_writes_their_parameters_as_the_json_the_import_reads_naming_the_parties(
    db, administrator, party, other_party
):
    from sharedcosts.models import CostPool

    file_import(IMPORTABLE["regroupements"](), _pool_rows(party, other_party), dry_run=False, user=administrator)
    exported = file_export(IMPORTABLE["regroupements"]()).decode("utf-8-sig").splitlines()
    assert [line.rsplit(";", 3)[1] for line in exported] == [
        "paramètres",
        '"{""base_fraction"": ""0.25""}"',
        '"{""threshold"": ""100000""}"',
        '"{""percentages"": {""Maison des jeunes de Saint-Jérôme"": ""40"", ""Travail de rue Laurentides"": ""60""}}"',
        '"{""amounts"": {""Maison des jeunes de Saint-Jérôme"": ""1200""}}"',
        "",
    ]
    stored = list(CostPool.objects.order_by("name").values_list("rule_params", flat=True))
    again = file_import(IMPORTABLE["regroupements"](), "\n".join(exported).encode(), dry_run=False, user=administrator)
    assert (again.skipped, again.created, again.updated) == (5, 0, 0)
    assert list(CostPool.objects.order_by("name").values_list("rule_params", flat=True)) == stored


def test_a_pool_parameter_naming_an_unknown_party_is_refused_on_its_line_and_nothing_is_written(db, administrator, party):
    from sharedcosts.models import CostPool

    rows = POOL_HEADER + 'Local C;premises;36 000,00;CAD;2025-04-01;2026-03-31;fixed;"{""percentages"": {""12"": ""100""}}"\n'
    with translation.override("fr-ca"):
        result = file_import(IMPORTABLE["regroupements"](), rows.encode(), dry_run=False, user=administrator)
    assert [(error.row, error.column, error.message) for error in result.errors] == [
        (2, "paramètres", "Partenaire inconnu\xa0: «\xa012\xa0»."),
    ]
    assert not CostPool.objects.exists()
