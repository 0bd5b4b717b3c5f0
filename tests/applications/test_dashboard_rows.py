"""The council dashboard's rows are written in Python (applications/views/dashboard_rows.py) for
speed; the template loop they replaced is kept here as the oracle, so the two cannot drift: every
role (lead, partner asked, confirmed, declined), every status, one- and two-stage rounds at each
stage, with and without a reference, an extension or a link to respond, byte for byte, and hostile
text escaped. A last test compares a real page, read through the view, with the oracle."""

import itertools
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import timezone

from applications import selectors
from applications.models import Bid, BidPartner, BidStage, BidStatus, PartnerStatus
from applications.services.clarifications import ask_clarification
from applications.views.dashboard_rows import rows_html
from grants.models import Round
from tests import factories as f

from .factories import BidFactory

OLD_LOOP = """{% load govuk_dates %}  {% for bid in bids %}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell">{% if bid.lead_id == user.organisation_id or bid.my_partner_status == "confirmed" %}<a class="govuk-link" href="{{ bid.get_absolute_url }}">{{ bid.title }}</a>{% else %}{{ bid.title }}{% endif %}{% if bid.reference %}<br><span class="govuk-hint">{{ bid.reference }}</span>{% endif %}</td>
      <td class="govuk-table__cell">{{ bid.round.name }}<br><span class="govuk-hint">Closes {{ bid.deadline|govuk_datetime:"j M Y" }}</span></td>
      <td class="govuk-table__cell">{% if bid.lead_id == user.organisation_id %}Lead{% else %}Partner (lead: {{ bid.lead_name }}){% endif %}</td>
      <td class="govuk-table__cell"><strong class="govuk-tag {{ bid.status_tag_class }}">{{ bid.get_status_display }}</strong>{% if bid.round.two_stage %}<br><span class="govuk-hint govuk-!-margin-bottom-0" data-testid="bid-stage">{{ bid.get_stage_display }}</span>{% endif %}</td>
      <td class="govuk-table__cell">{% if bid.respond %}<a class="govuk-link" href="{% url 'applications:partner_respond' bid.pk %}">{{ bid.next_action }}</a>{% else %}{{ bid.next_action }}{% endif %}</td>
    </tr>
  {% endfor %}"""  # fmt: skip

HOSTILE = '<script>alert("x")</script> & O\'Brien'
ORG = 7
ROLES = {"lead": (ORG, None), **{f"partner {s}": (8, s) for s in PartnerStatus.values}, "partner none": (8, None)}


def _old(bids: list, org_id: int | None) -> str:
    """The dashboard's table body as the template loop wrote it (the text between the tags)."""
    out = (
        engines["django"].from_string(OLD_LOOP).render({"bids": bids, "user": SimpleNamespace(organisation_id=org_id)})
    )
    return out.removeprefix("  ")


def _bid(role: str, status: str, *, two_stage: bool, stage: str, reference, respond: bool, text: str) -> Bid:
    closes = timezone.now() + timedelta(days=3)
    eoi = closes - timedelta(days=1) if two_stage else None
    rnd = Round(name=f"Round 4{text}", closes_at=closes, eoi_closes_at=eoi)
    lead_id, mine = ROLES[role]
    extended = closes + timedelta(days=40) if reference else None
    bid = Bid(pk=42, round=rnd, lead_id=lead_id, title=f"Joint bid{text}", reference=reference and f"{reference}{text}")
    bid.status, bid.stage, bid.extended_deadline = status, stage, extended
    bid.my_partner_status, bid.lead_name = mine, f"Leeds{text}"
    bid.next_action, bid.respond = f"Do it{text}", respond
    return bid


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("text", ["", HOSTILE], ids=["plain", "hostile"])
def test_each_row_is_the_old_templates_row(role, text):
    shapes = itertools.product(BidStatus.values, [False, True], BidStage.values, [None, "", "THIS-000042"], [0, 1])
    for status, two_stage, stage, reference, respond in shapes:
        bid = _bid(role, status, two_stage=two_stage, stage=stage, reference=reference, respond=respond, text=text)
        got = str(rows_html([bid], org_id=ORG))
        assert got == _old([bid], ORG), (status, two_stage, stage, reference, respond)
        if text:
            assert "<script>" not in got and "O'Brien" not in got


def test_rows_follow_one_another_as_the_loop_wrote_them():
    bids = [_bid(r, BidStatus.DRAFT, two_stage=False, stage="full", reference="R", respond=0, text="") for r in ROLES]
    assert str(rows_html(bids, org_id=ORG)) == _old(bids, ORG)
    assert str(rows_html([], org_id=ORG)) == _old([], ORG) == ""


def _tbody(page: str) -> str:
    start = '<tbody class="govuk-table__body">\n  '
    return page[page.index(start) + len(start) : page.index("\n  </tbody>")]


def test_a_real_page_is_the_old_loop_over_every_column(personas, client_for):
    """Through the view and `selectors.dashboard_bids`: every kind of row the page shows, read
    with every column (`bids_for_council`, as before), written as the old loop did."""
    two_stage = f.RoundFactory(eoi_closes_at=timezone.now() + timedelta(days=2), name=f"Two stage{HOSTILE}")
    unconfirmed = BidFactory(round=personas.round, lead=personas.lead_org, title=f"Ours{HOSTILE}")
    BidPartner.objects.create(bid=unconfirmed, organisation=personas.partner_org)
    asked = BidFactory(
        round=f.RoundFactory(programme=personas.programme),
        lead=personas.lead_org,
        status=BidStatus.SUBMITTED,
        reference="R-1",
    )
    ask_clarification(bid=asked, actor=personas.programme_manager, question="Why?", reply_by=timezone.localdate())
    BidFactory(round=two_stage, lead=personas.lead_org, stage=BidStage.EOI)
    for status in (PartnerStatus.REQUESTED, PartnerStatus.CONFIRMED, PartnerStatus.DECLINED):
        theirs = BidFactory(round=f.RoundFactory(), lead=personas.other_org, title=f"Theirs {status}")
        BidPartner.objects.create(bid=theirs, organisation=personas.lead_org, status=status)
    user = personas.lead_officer
    page = client_for(user).get("/bids/").content.decode()
    bids = list(selectors.bids_for_council(user=user))
    for bid in bids:
        bid.next_action = selectors.next_action(bid, user.organisation_id)
        bid.respond = bid.next_action == selectors.PARTNER_ACTION
    assert len(bids) == 6 and sum(b.respond for b in bids) == 1
    assert any(b.next_action.startswith("Answer the programme") for b in bids)
    assert _tbody(page) == _old(bids, user.organisation_id)
