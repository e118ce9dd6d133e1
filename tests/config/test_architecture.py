"""The house's arrows, read from the code: which app may import which, no import circle, no module too long.

Every import counts, those inside functions too: a circle hidden in a
function is still a circle.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("config", "ledger", "grants", "sharedcosts", "spreadsheets", "portal")
# The spreadsheets' domain-free base, which the domain apps' resources and admins build on.
SPREADSHEETS_BASE = {"spreadsheets.reading", "spreadsheets.widgets", "spreadsheets.resources", "spreadsheets.formats"}
LONGEST_MODULE = 400


def product_modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


MODULES = product_modules()


def imports_of(name: str, path: Path) -> set[str]:
    """The product modules ``name`` imports, anywhere in its code."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def app_of(module: str) -> str:
    return module.split(".")[0]


def test_the_ledger_imports_no_domain_app_and_only_the_spreadsheets_base():
    wrong = sorted(
        (module, target)
        for module, targets in GRAPH.items()
        if app_of(module) == "ledger"
        for target in targets
        if app_of(target) in {"grants", "sharedcosts", "portal"}
        or (app_of(target) == "spreadsheets" and target not in SPREADSHEETS_BASE)
    )
    assert wrong == []


@pytest.mark.parametrize(("app", "other"), [("grants", "sharedcosts"), ("sharedcosts", "grants")])
def test_grants_and_shared_costs_never_import_each_other(app, other):
    assert sorted((m, t) for m, ts in GRAPH.items() if app_of(m) == app for t in ts if app_of(t) == other) == []


def test_domain_apps_reach_the_spreadsheets_base_only():
    wrong = sorted(
        (module, target)
        for module, targets in GRAPH.items()
        if app_of(module) in {"ledger", "grants", "sharedcosts"}
        for target in targets
        if app_of(target) == "spreadsheets" and target not in SPREADSHEETS_BASE
    )
    assert wrong == []


def test_the_spreadsheets_base_imports_no_domain_app_and_the_rest_only_through_the_registry():
    wrong = sorted(
        (module, target)
        for module, targets in GRAPH.items()
        if app_of(module) == "spreadsheets" and module != "spreadsheets.registry"
        for target in targets
        if app_of(target) in {"ledger", "grants", "sharedcosts", "portal"}
    )
    registry = sorted(t for t in GRAPH["spreadsheets.registry"] if app_of(t) in {"ledger", "grants", "sharedcosts"})
    assert wrong == []
    assert registry == ["grants.resources", "ledger.resources", "sharedcosts.resources"]


def test_nothing_imports_the_portal_but_the_portal_and_the_urls():
    wrong = sorted(
        (module, target)
        for module, targets in GRAPH.items()
        if app_of(module) != "portal" and module != "config.urls"
        for target in targets
        if app_of(target) == "portal"
    )
    assert wrong == []


def test_no_import_circle_anywhere():
    circles = []
    state: dict[str, int] = defaultdict(int)  # 0 unseen, 1 on the path, 2 done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(GRAPH.get(module, ())):
            if state[target] == 1:
                circles.append(path[path.index(target) :] + [target])
            elif state[target] == 0:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if state[module] == 0:
            visit(module)
    assert circles == []


def test_no_product_module_is_longer_than_four_hundred_lines():
    long_modules = {
        str(path.relative_to(ROOT)): lines
        for path in MODULES.values()
        if (lines := len(path.read_text().splitlines())) > LONGEST_MODULE
    }
    assert long_modules == {}
