"""Money is shown one way: `grants.core.money.pounds()` in Python, the `pounds` filter in templates.

A hand-made "£{x:,.2f}" or "£{{ x|floatformat }}" is how pages came to show "£880,000.00" while
the GOV.UK style is "£880,000"; this scan fails with the file and line of any new one.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("grants", "applications", "scoring", "notifications", "config")
THE_FORMATTER = ROOT / "grants" / "core" / "money.py"

# A pound sign written in front of a value: an f-string or str.format field, a Django variable or
# tag, %-formatting, or "£" + something.
PYTHON_POUNDS = re.compile(r"""£\{|£%|["']£["']\s*\+""")
TEMPLATE_POUNDS = re.compile(r"£\s*\{[{%]")
# Thousands grouped by hand ("{x:,.2f}", "{:,}"): an amount handed on as text that a template
# then shows, which is how the outcome email came to carry "45,000.00".
PYTHON_GROUPING = re.compile(r"\{[^{}]*:,[^{}]*\}")
# A percentage written by hand ("{pct}%", "{{ final }}%"): how moderation came to show "87.80%".
PYTHON_PERCENT = re.compile(r"\{[^{}]*\}%")
TEMPLATE_PERCENT = re.compile(r"\}\}\s*%|%\}%")
# Django's number filters round or group by their own rules ("0.00", "40,000.00"); the project's
# pounds, percent and number filters are the one way a template shows a number.
TEMPLATE_NUMBER_FILTERS = re.compile(r"\|\s*(floatformat|intcomma|stringformat:[\"']\.?\d*f)")


def _python_files() -> list[Path]:
    files = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path == THE_FORMATTER:
                continue
            files.append(path)
    return files


def _template_files() -> list[Path]:
    return [p for p in (ROOT / "templates").rglob("*") if p.suffix in (".html", ".txt")]


def _offences(files: list[Path], pattern: re.Pattern) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()[:120]}"
        for path in files
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]


def test_the_scans_find_files():
    assert len(_python_files()) > 50
    assert len(_template_files()) > 50


@pytest.mark.parametrize(
    ("line", "caught"),
    [
        ('f"Offered £{amount:,.2f}"', True),
        ('"£{:,}".format(amount)', True),
        ('"£%s" % amount', True),
        ('"£" + str(amount)', True),
        ('f"Offered {pounds(amount)}"', False),
        ('label="Budget (£)"', False),
        ('"Budget must be £0 or more"', False),
    ],
)
def test_the_python_pattern(line, caught):
    assert bool(PYTHON_POUNDS.search(line)) is caught


@pytest.mark.parametrize(
    ("line", "caught"),
    [
        ('"amount": f"{decision.amount:,.2f}"', True),
        ('f"{whole:,}"', True),
        ('"{:,}".format(n)', True),
        ('f"{name} must be less than {number(whole)}"', False),
        ('f"{self.final}%"', False),
    ],
)
def test_the_grouping_pattern(line, caught):
    assert bool(PYTHON_GROUPING.search(line)) is caught


@pytest.mark.parametrize(
    ("line", "caught"),
    [
        ('£{{ award.amount|floatformat:"2g" }}', True),
        ("£{{ amount }}", True),
        ("including £{% for t in paid %}", True),
        ("{{ award.amount|pounds }}", False),
        ('<div class="govuk-input__prefix" aria-hidden="true">£</div>', False),
        ("Amount (£)", False),
    ],
)
def test_the_template_pattern(line, caught):
    assert bool(TEMPLATE_POUNDS.search(line)) is caught


def test_python_formats_money_only_through_pounds():
    offences = _offences(_python_files(), PYTHON_POUNDS)
    assert not offences, "Format money with grants.core.money.pounds(), not by hand:\n" + "\n".join(offences)


def test_python_groups_thousands_only_through_the_formatter():
    offences = _offences(_python_files(), PYTHON_GROUPING)
    assert not offences, "Use grants.core.money.pounds() or number():\n" + "\n".join(offences)


def test_templates_format_money_only_through_the_pounds_filter():
    offences = _offences(_template_files(), TEMPLATE_POUNDS)
    assert not offences, "Show money with {% load govuk_money %}{{ value|pounds }}, not £{{ ... }}:\n" + "\n".join(
        offences
    )


@pytest.mark.parametrize(
    ("line", "caught"),
    [
        ('summary=f"Version {version}: {pct}%"', True),
        ('f"{self.rows_done} of {self.rows_total} rows ({self.percent}%)"', True),
        ('f"Version {version}: {percent(pct, 2)}"', False),
        ('"Match funding required (%)"', False),
    ],
)
def test_the_python_percent_pattern(line, caught):
    assert bool(PYTHON_PERCENT.search(line)) is caught


@pytest.mark.parametrize(
    ("line", "caught"),
    [
        ('{{ b.final|default:"–" }}{% if b.final %}%{% endif %}', True),
        ("{{ rate }}%", True),
        ('{{ value|floatformat:"0g" }}', True),
        ("{{ value|intcomma }}", True),
        ("{{ final|percent:2 }}", False),
        ("{{ value|number }}", False),
        ('{{ field.value|stringformat:"s" }}', False),
        ('<progress max="100" value="{{ job.percent }}">', False),
    ],
)
def test_the_template_number_patterns(line, caught):
    assert bool(TEMPLATE_PERCENT.search(line) or TEMPLATE_NUMBER_FILTERS.search(line)) is caught


def test_python_writes_percentages_only_through_the_formatter():
    offences = _offences(_python_files(), PYTHON_PERCENT)
    assert not offences, "Use grants.core.money.percent():\n" + "\n".join(offences)


def test_templates_show_numbers_only_through_the_project_filters():
    offences = _offences(_template_files(), TEMPLATE_PERCENT) + _offences(_template_files(), TEMPLATE_NUMBER_FILTERS)
    assert not offences, "Use {{ value|percent }}, |pounds or |number (govuk_money):\n" + "\n".join(offences)
