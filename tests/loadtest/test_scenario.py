"""The load test's scenario against the application: its URL names, its form, its users.

The load test runs for minutes; these checks run in the suite, so a renamed
URL, a moved path or a renamed form field fails here first.
"""

import ast
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import resolve, reverse

from grants.models import ReportRequirement
from ledger.demo import GENERATED_PREFIX, generated_username
from loadtest.scenario import PATHS, REPORT, SAVE, SUBMIT, Summary, path, pattern, placeholders, usernames
from portal import forms

LOCUSTFILE = Path(__file__).resolve().parents[2] / "loadtest" / "locustfile.py"


@pytest.mark.parametrize("url_name", PATHS)
def test_each_path_of_the_scenario_is_the_one_django_reverses_for_its_name(url_name):
    kwargs = {name: 40 + number for number, name in enumerate(placeholders(url_name))}
    assert path(url_name, **kwargs) == reverse(url_name, kwargs=kwargs)
    assert resolve(path(url_name, **kwargs)).view_name == url_name


def url_names_used_by_the_locustfile() -> set[str]:
    """The first argument of every call to ``path``, ``pattern`` or ``self._get`` in loadtest/locustfile.py."""
    used = set()
    for node in ast.walk(ast.parse(LOCUSTFILE.read_text())):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if called in ("path", "pattern", "_get"):
                used.add(node.args[0].value)
    return used


def test_the_locustfile_opens_only_pages_the_scenario_names_and_all_the_issue_asks_for():
    used = url_names_used_by_the_locustfile()
    assert used <= PATHS.keys()
    assert used == {
        "login", "portal:party", "portal:statement", "portal:statement_csv", "portal:statement_pdf", "portal:report"
    }


def test_the_patterns_read_the_ids_back_from_a_reversed_path():
    report = reverse("portal:report", kwargs={"party_id": 12, "requirement_id": 345})
    assert pattern("portal:report").fullmatch(report).groupdict() == {"party_id": "12", "requirement_id": "345"}
    assert pattern("portal:report", party_id=12).fullmatch(report)["requirement_id"] == "345"
    assert pattern("portal:report", party_id=1).search(report) is None


@pytest.mark.django_db
def test_the_report_a_generated_partner_sends_is_one_its_form_takes():
    call_command("seed_demo", partners=2)
    requirement = ReportRequirement.objects.filter(grant__party__name=f"{GENERATED_PREFIX}00002").first()
    spending = {f"spending_{line.line}": "1250.00" for line in requirement.grant.budget_lines.all()}
    form = forms.ReportForm({**REPORT, **spending, "versions": "0"}, requirement=requirement, action=forms.SUBMIT)
    assert (SAVE, SUBMIT) == (forms.SAVE, forms.SUBMIT)
    assert REPORT.keys() <= form.fields.keys()
    assert form.is_valid(), form.errors


def test_each_simulated_partner_is_the_member_of_another_generated_organisation():
    assert usernames(users=3, partners=300) == [generated_username(1), generated_username(101), generated_username(201)]
    assert len(set(usernames(users=50, partners=300))) == 50
    assert usernames(users=2, partners=2) == ["partenaire-00001", "partenaire-00002"]


@pytest.mark.parametrize("users, partners", [(0, 300), (51, 50)])
def test_more_users_than_partners_or_none_at_all_is_refused(users, partners):
    with pytest.raises(ValueError, match="generated partners"):
        usernames(users=users, partners=partners)


def test_the_summary_is_one_line_in_whole_milliseconds():
    summary = Summary(users=50, rps=14.345, p50_ms=41, p95_ms=180.4, p99_ms=310, errors=0)
    assert summary.line() == "users=50 rps=14.3 p50_ms=41 p95_ms=180 p99_ms=310 errors=0"
