"""Registries are filled by autodiscovery at start-up, and nothing hides a failed import.

NotificationsConfig.ready() runs autodiscover_modules("reminders") and GrantsConfig.ready() runs
autodiscover_modules("exports"): an app adds a reminders.py or exports.py and it is found, with no
other app listing it; a typo in one fails at start-up. These tests catch a module that exists but
registers nothing (never imported, or its decorator lost), and an `except ImportError` that would
turn a broken import back into silence.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.utils.module_loading import module_has_submodule

from grants.core.exports import TABLES
from notifications.reminders import providers

ROOT = Path(__file__).resolve().parent.parent
APP_DIRS = ("grants", "applications", "scoring", "notifications", "config")
OUR_APPS = [app for app in apps.get_app_configs() if app.path.startswith(str(ROOT)) and "/.venv/" not in app.path]


def _apps_with(module: str) -> list[str]:
    """Apps with this module, less notifications.reminders: the registry itself, not a user of it."""
    return [
        app.name
        for app in OUR_APPS
        if module_has_submodule(app.module, module) and f"{app.name}.{module}" != "notifications.reminders"
    ]


def test_our_apps_are_found():
    assert {app.label for app in OUR_APPS} == {
        "grants",
        "notifications",
        "applications",
        "awards",
        "scoring",
        "reporting",
        "api",
    }


@pytest.mark.parametrize("app_name", _apps_with("reminders"))
def test_every_reminders_module_registers_a_provider(app_name):
    modules = {func.__module__ for func in providers().values()}
    assert f"{app_name}.reminders" in modules, f"{app_name}/reminders.py registers no @provider"


@pytest.mark.parametrize("app_name", _apps_with("exports"))
def test_every_exports_module_registers_a_table(app_name):
    modules = {func.__module__ for func in TABLES.values()}
    assert f"{app_name}.exports" in modules, f"{app_name}/exports.py registers no @table"


def test_the_bidding_reminders_live_in_applications_not_notifications():
    names = set(providers())
    assert "applications.reminders.round_opening" in names
    assert not any(name.startswith("notifications.") for name in names)


def test_there_are_reminder_and_export_modules_to_check():
    """The parametrised tests above pass vacuously if discovery finds nothing."""
    assert {"applications", "grants.awards", "scoring"} <= set(_apps_with("reminders"))
    assert {"applications", "grants.awards", "grants.reporting", "notifications", "scoring"} <= set(
        _apps_with("exports")
    )


def _app_modules():
    for top in APP_DIRS:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}


def _caught_names(node: ast.expr | None) -> set[str]:
    if node is None:
        return set()
    if isinstance(node, ast.Tuple):
        return set().union(*(_caught_names(elt) for elt in node.elts))
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    return set()


def test_no_app_code_catches_import_errors():
    """An import guard around the project's own modules once made a confirmed decision create no
    award without a word; imports of our own code must fail loudly."""
    found = []
    for path in _app_modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and _caught_names(node.type) & IMPORT_ERRORS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
