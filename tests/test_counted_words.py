"""A count is written with the noun in the form it needs: "1 bid", "2 bids", never "1 bids".

Python goes through `grants.core.words.counted` (Django's ngettext), templates through
`{{ n }} bid{{ n|pluralize }}`. The scans fail with the file and line of a count written before
a fixed plural, which is how the ranking page came to say "1 bids" and the dashboard "1 awards"."""

import re

import pytest

from grants.core.words import counted

from .test_one_money_format import _offences, _python_files, _template_files

NOUNS = (
    "bid|award|return|payment|score|assessment|file|council|partner|question|assignment|decision|"
    "notification|update|row|word|character|assessor|member|round|programme|day|person|tranche|milestone|"
    "variation|output|criteri(?:on|a)|people"
)
# A formatted field, then a plural noun: f"{n} bids". A CONSTANT ("{MAX_FILES} files") is never 1.
PYTHON_COUNT = re.compile(rf"\{{(?![A-Z_]+\}})[^{{}}]*\}} (?:(?:{NOUNS})s|people|criteria)\b")
# A template variable, then a plural noun, with no pluralize after it; a line that branches on
# "== 1" has written the singular itself.
TEMPLATE_COUNT = re.compile(rf"\}}\}} (?:{NOUNS})s\b")


@pytest.mark.parametrize(
    ("n", "noun", "plural", "shown"),
    [(1, "bid", None, "1 bid"), (0, "bid", None, "0 bids"), (2, "bid", None, "2 bids"), (1200, "row", None, "1,200 rows"),
     (1, "criterion", "criteria", "1 criterion"), (3, "criterion", "criteria", "3 criteria")],
)  # fmt: skip
def test_counted(n, noun, plural, shown):
    assert counted(n, noun, plural) == shown


@pytest.mark.parametrize(
    ("line", "caught"),
    [
        ('f"{n} questions copied"', True),
        ('f"{label}: {n} awards, {pounds(a)}"', True),
        ('f"This round allows at most {round.max_partners} partners."', True),
        ("f\"{counted(n, 'question')} copied\"", False),
        ('f"You can attach up to {MAX_FILES} files"', False),
        ('f"{bid.reference} scores"', True),
    ],
)
def test_the_python_pattern(line, caught):
    assert bool(PYTHON_COUNT.search(line)) is caught


@pytest.mark.parametrize(
    ("line", "caught"),
    [
        ("{{ bids|length }} bids</caption>", True),
        ("{{ bids|length }} bid{{ bids|length|pluralize }}", False),
        ("{{ q.word_limit }} words", True),
    ],
)
def test_the_template_pattern(line, caught):
    assert bool(TEMPLATE_COUNT.search(line)) is caught


def test_python_counts_go_through_counted():
    files = [p for p in _python_files() if p.name != "demo.py"]  # the seed's console lines are for developers
    offences = _offences(files, PYTHON_COUNT)
    assert not offences, "Write counts with grants.core.words.counted():\n" + "\n".join(offences)


def test_templates_pluralize_counts():
    offences = [o for o in _offences(_template_files(), TEMPLATE_COUNT) if "== 1 %}" not in o]
    assert not offences, "Write {{ n }} bid{{ n|pluralize }}:\n" + "\n".join(offences)
