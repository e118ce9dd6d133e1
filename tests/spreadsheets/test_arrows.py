"""The spreadsheets app reaches the domain apps only through its registry, and its base never reaches the registry.

Each app's ``resources.py`` builds on the base modules, and the registry
imports those ``resources.py``: a base module that imported the registry, or
a domain app, would close a circle.
"""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "spreadsheets"
DOMAIN_APPS = {"ledger", "grants", "sharedcosts", "portal"}
BASE_MODULES = {"reading", "widgets", "resources", "writing"}


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _modules() -> dict[str, set[str]]:
    return {
        str(path.relative_to(APP).with_suffix("")): _imported(path)
        for path in APP.rglob("*.py")
        if "migrations" not in path.parts
    }


def test_only_the_registry_imports_a_domain_app():
    reaching = sorted(
        module for module, names in _modules().items() if {name.split(".")[0] for name in names} & DOMAIN_APPS
    )
    assert reaching == ["registry"]


def test_the_registry_imports_only_the_domain_apps_resources():
    domain = sorted(name for name in _modules()["registry"] if name.split(".")[0] in DOMAIN_APPS)
    assert domain == ["grants.resources", "ledger.resources", "sharedcosts.resources"]


def test_the_base_modules_import_only_each_other():
    for module in BASE_MODULES:
        ours = {name for name in _modules()[module] if name.startswith("spreadsheets")}
        assert ours <= {f"spreadsheets.{base}" for base in BASE_MODULES}, module


def test_no_import_hides_inside_a_function():
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for function in (node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))):
            hidden = [node for node in ast.walk(function) if isinstance(node, (ast.Import, ast.ImportFrom))]
            assert not hidden, f"{path.relative_to(APP)}: {function.name}"
