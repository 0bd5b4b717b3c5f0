"""The ranking page's rows are written in Python (scoring/views/ranking_rows.py) for speed; the
template loop they replaced is kept here as the oracle, so the two cannot drift: every kind of
row (no decision, proposed, confirmed, reserve, gateway failed, moderated, above the line), with
and without the right to decide and with assessment open or closed, and hostile text escaped."""

import itertools
import re
from types import SimpleNamespace

import pytest
from django.template import engines

from scoring.models import Decision, DecisionStatus, Outcome
from scoring.views.ranking_rows import row_html

OLD_ROW = """<tr class="govuk-table__row" data-testid="rank-{{ r.rank }}"{% if r.above_line %} data-above-line="yes"{% endif %}>
      {% if can_decide %}<td class="govuk-table__cell">{% if r.decision and r.decision.status == "proposed" %}<div class="govuk-checkboxes govuk-checkboxes--small"><div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" type="checkbox" name="bids" value="{{ r.bid.pk }}" id="confirm-{{ r.bid.pk }}"><label class="govuk-label govuk-checkboxes__label" for="confirm-{{ r.bid.pk }}"><span class="govuk-visually-hidden">Confirm the decision on {{ r.bid.reference }}</span></label></div></div>{% endif %}</td>{% endif %}
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ r.rank|stringformat:"d" }}</td>
      <td class="govuk-table__cell">{{ r.bid.reference }} {{ r.bid.lead.short_name }}{% if r.bid.gateway_failed %} <strong class="govuk-tag govuk-tag--red">Gateway failed</strong>{% endif %}{% if r.bid.has_moderation %} <strong class="govuk-tag govuk-tag--blue">Moderated</strong>{% endif %}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ r.final_text }}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ r.spread_text }}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ r.requested_text }}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ r.amount_text }}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ r.running_text }}</td>
      <td class="govuk-table__cell">{% if r.decision and r.decision.outcome %}<strong class="govuk-tag {{ r.decision.outcome_tag_class }}">{{ r.decision.get_outcome_display }}</strong> {{ r.decision.get_status_display }}{% endif %}
        {% if can_decide and assessment_open %}{% if not r.decision or not r.decision.is_confirmed or r.decision.outcome == "reserve" %}<a class="govuk-link" href="{{ r.decide_url }}">Decide<span class="govuk-visually-hidden"> on {{ r.bid.reference }}</span></a>{% endif %}{% endif %}</td>
    </tr>"""

HOSTILE = '<script>alert("x")</script> & O\'Brien'
DECISIONS = {
    "none": None,
    "proposed funded": (Outcome.FUNDED, DecisionStatus.PROPOSED),
    "confirmed funded": (Outcome.FUNDED, DecisionStatus.CONFIRMED),
    "confirmed reserve": (Outcome.RESERVE, DecisionStatus.CONFIRMED),
    "proposed not funded": (Outcome.NOT_FUNDED, DecisionStatus.PROPOSED),
}


def _row(decision, *, gateway_failed: bool, moderated: bool, above: bool, text: str):
    bid = SimpleNamespace(
        pk=42, reference=f"DI27-000042{text}", lead=SimpleNamespace(short_name=f"Kent{text}"),
        gateway_failed=gateway_failed, has_moderation=moderated,
    )  # fmt: skip
    made = None if decision is None else Decision(outcome=decision[0], status=decision[1])
    return SimpleNamespace(
        bid=bid, decision=made, rank=3, above_line=above, decide_url=f"/rounds/x/bids/42/decision/?a=1&b={text}",
        final_text=f"72.5%{text}", spread_text="10", requested_text="£50,000", amount_text="£45,000.50",
        running_text="£1,234.50",
    )  # fmt: skip


def _squeezed(html: str) -> str:
    """Whitespace between tags and before a closing tag does not show; the rows differ only
    there (a space between words and a tag, which shows, is kept)."""
    return re.sub(r"\s+", " ", re.sub(r"\s+</", "</", re.sub(r">\s+<", "><", html))).strip()


@pytest.mark.parametrize("decision", list(DECISIONS), ids=list(DECISIONS))
@pytest.mark.parametrize("text", ["", HOSTILE], ids=["plain", "hostile"])
def test_each_row_is_the_old_templates_row(decision, text):
    template = engines["django"].from_string(OLD_ROW)
    flags = itertools.product([False, True], repeat=5)
    for can_decide, is_open, gateway_failed, moderated, above in flags:
        r = _row(DECISIONS[decision], gateway_failed=gateway_failed, moderated=moderated, above=above, text=text)
        expected = template.render({"r": r, "can_decide": can_decide, "assessment_open": is_open})
        got = str(row_html(r, can_decide=can_decide, assessment_open=is_open))
        assert _squeezed(got) == _squeezed(expected), (decision, can_decide, is_open, gateway_failed, moderated)
        if text:
            assert "<script>" not in got
