"""The queue's rows are written in Python (scoring/views/queue_rows.py) for speed; the template
loop they replaced is kept here as the oracle, so the two cannot drift: every state (not started,
in progress, submitted once or again), assessment open or not, amounts whole and with pence, a
missing reference, and hostile text escaped. The rows must match byte for byte."""

import itertools
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import engines

from scoring.models import Assessment, Assignment
from scoring.selectors import QUEUE_ROW
from scoring.views.queue_rows import assess_url_for, row_html

# The loop body of templates/scoring/queue.html before issue 19.
OLD_ROW = """{% load govuk_money %}<tr class="govuk-table__row">
      <td class="govuk-table__cell">{% if assessment_open %}<a class="govuk-link" href="{% url 'scoring:assess_bid' round.slug row.bid_id %}">{{ row.bid.reference }}</a>{% else %}{{ row.bid.reference }}{% endif %}</td>
      <td class="govuk-table__cell">{{ row.bid.lead.short_name }}</td>
      <td class="govuk-table__cell">{{ row.bid.title }}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ row.bid.amount_requested|pounds }}</td>
      <td class="govuk-table__cell"><strong class="govuk-tag {{ row.state.1 }}">{{ row.state.0 }}</strong></td>
    </tr>"""

HOSTILE = '<script>alert("x")</script> & O\'Brien'
STATES = {"not started": None, "in progress": 0, "submitted": 1, "resubmitted": 2}  # submitted_version
AMOUNTS = [Decimal("50000.00"), Decimal("1234.50"), Decimal("0.00")]


def _old_state(row: Assignment) -> tuple[str, str]:
    """The view's `_state` before issue 19, on a row from `select_related("assessment")`."""
    try:
        a = row.assessment
    except Assessment.DoesNotExist:
        return "Not started", "govuk-tag--grey"
    if a.is_submitted:
        return "Submitted", "govuk-tag--green"
    return "In progress", "govuk-tag--yellow"


def _old(*, pk: int, reference, text: str, amount, version) -> SimpleNamespace:
    """The row as the old template saw it: an Assignment with its bid, lead and assessment."""
    row = Assignment(bid_id=pk)  # unsaved: no assessment unless given one, and no query to find out
    if version is not None:
        row.assessment = Assessment(submitted_version=version)
    bid = SimpleNamespace(
        reference=reference, title=f"Digital skills{text}", amount_requested=amount,
        lead=SimpleNamespace(short_name=f"Kent{text}"),
    )  # fmt: skip
    return SimpleNamespace(bid_id=pk, bid=bid, state=_old_state(row))


def _new(*, pk: int, reference, text: str, amount, version) -> tuple:
    """The same row as `selectors.queue_rows` gives it: a tuple in `QUEUE_ROW`'s order."""
    by_name = {
        "bid_id": pk, "bid__reference": reference, "bid__lead__short_name": f"Kent{text}",
        "bid__title": f"Digital skills{text}", "bid__amount_requested": amount,
        "assessment__id": None if version is None else 7, "assessment__submitted_version": version,
    }  # fmt: skip
    return tuple(by_name[name] for name in QUEUE_ROW)


@pytest.mark.parametrize("state", list(STATES), ids=list(STATES))
@pytest.mark.parametrize("text", ["", HOSTILE], ids=["plain", "hostile"])
def test_each_row_is_the_old_templates_row(state, text):
    template = engines["django"].from_string(OLD_ROW)
    round = SimpleNamespace(slug="digital-inclusion-2026")
    references = ["DI27-000042", f"DI27-000042{text}", None]
    for is_open, pk, reference, amount in itertools.product([False, True], [1, 42, 123456], references, AMOUNTS):
        values = {"pk": pk, "reference": reference, "text": text, "amount": amount, "version": STATES[state]}
        expected = template.render({"row": _old(**values), "round": round, "assessment_open": is_open})
        url = assess_url_for(round.slug) if is_open else None
        got = str(row_html(_new(**values), assess_url=url))
        assert got == expected, (state, is_open, pk, reference, amount)
        if text:
            assert "<script>" not in got and "&lt;script&gt;" in got
