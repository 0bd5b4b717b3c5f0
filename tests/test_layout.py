"""The README's architecture, checked by machine: layers, app labels, module sizes, migrations.

import-linter enforces the layers, but only for modules its contract names: grants' reference
data is listed module by module (grants also holds core below it and awards and reporting above
it), so a new module of grants left out of that list would escape the contract unnoticed.
"""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parent.parent
OUR_APPS = {"grants", "notifications", "applications", "awards", "scoring", "reporting", "api"}
NOT_REFERENCE_DATA = {"core", "awards", "reporting", "api", "data", "migrations"}
MAX_LINES = 500
PACKAGES = ("grants", "applications", "scoring", "notifications", "config")


def _layers() -> list[list[str]]:
    contract = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    [layers] = [c["layers"] for c in contract if c["type"] == "layers"]
    return [[name.strip() for name in layer.split(":")] for layer in layers]


def _grants_children() -> set[str]:
    children = set()
    for path in (ROOT / "grants").iterdir():
        if path.name in NOT_REFERENCE_DATA or path.name.startswith(("_", ".")):
            continue
        if path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").exists()):
            children.add(f"grants.{path.stem}")
    return children


def test_every_module_of_grants_is_in_the_reference_data_layer():
    [reference_data] = [layer for layer in _layers() if "grants.models" in layer]
    missing = sorted(_grants_children() - set(reference_data))
    assert missing == [], f"add to the reference-data layer in pyproject.toml: {missing}"


def test_the_layers_run_in_the_readme_order():
    order = [layer[0] if len(layer) == 1 else "grants (reference data)" for layer in _layers()]
    assert order == [
        "grants.api",
        "grants.reporting",
        "scoring",
        "grants.awards",
        "applications",
        "notifications",
        "grants (reference data)",
        "grants.core",
    ]


def test_awards_and_reporting_are_apps_of_their_own():
    from grants.awards.models import Award
    from grants.reporting.models import ExportJob

    assert Award._meta.app_label == "awards"
    assert ExportJob._meta.app_label == "reporting"


def _modules(tops: tuple[str, ...]):
    """The project's Python modules below these folders, migrations aside."""
    for top in tops:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def test_no_module_is_over_500_lines():
    long = []
    for path in _modules((*PACKAGES, "bench")):
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES:
            long.append(f"{path.relative_to(ROOT)}: {lines}")
    assert long == []


def _private_imports(source: str) -> list[str]:
    """Names starting with one underscore imported from the project's own modules."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom):
            continue
        ours = node.level > 0 or (node.module or "").split(".")[0] in PACKAGES
        for alias in node.names if ours else ():
            if alias.name.startswith("_") and not alias.name.startswith("__"):
                found.append(f"{'.' * node.level}{node.module or ''}.{alias.name}")
    return found


def test_private_import_finder_finds_one():
    source = "from grants.awards.selectors import ZERO, _sum_subquery\nfrom .services import __all__, _render\n"
    assert _private_imports(source) == ["grants.awards.selectors._sum_subquery", ".services._render"]
    assert _private_imports("from django.db.models import _x\n") == []


def test_no_module_imports_another_modules_private_names():
    """A private name is the owning module's to change; importing it makes two owners."""
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _modules(PACKAGES)
        for name in _private_imports(path.read_text())
    ]
    assert found == []


def _cycle(edges: dict[str, set[str]]) -> list[str]:
    """A cycle in a directed graph as a list of nodes, or [] if it has none."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        path.pop()
        return []

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_migration_graph_has_no_cycle_between_apps():
    """An app's migrations may depend on a lower app's, never the reverse, so each app's migrations
    can be squashed or reset alone."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    edges: dict[str, set[str]] = {app: set() for app in OUR_APPS}
    for (app, _name), node in graph.node_map.items():
        if app not in OUR_APPS:
            continue
        for parent in node.parents:
            if parent.key[0] in OUR_APPS and parent.key[0] != app:
                edges[app].add(parent.key[0])
    assert _cycle(edges) == []
    # What the layers promise: the bottom depends on no app of ours.
    assert edges["grants"] == set()


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "lint-imports").exists(), reason="import-linter not installed")
def test_lint_imports_keeps_the_contract():
    """Slow (about 20 s): `make lint` runs the same check."""
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout
