"""The staff bid list's rows are written in Python (applications/views/bid_list_rows.py) for
speed; the template loop they replaced is kept here as the oracle, so the two cannot drift:
every status and stage, a draft with no reference, partners of each kind or none, a lead of
each kind, and hostile text escaped. The page itself is checked against real bids below."""

import re
from types import SimpleNamespace

import pytest
from django.template import engines
from django.urls import reverse

from applications.models import Bid, BidPartner, BidStage, BidStatus, OtherPartner
from applications.views.bid_list_rows import row_html
from grants.core.rows import id_url
from grants.models.organisations import OrgKind
from tests import factories as f
from tests.scoring.factories import SubmittedBidFactory

OLD_ROW = """{% load govuk_money %}<tr class="govuk-table__row">
          <td class="govuk-table__cell"><a class="govuk-link" href="{{ bid.get_absolute_url }}">{{ bid.reference|default:"Draft" }}</a></td>
          <td class="govuk-table__cell">{{ bid.lead.short_name }}<br><span class="govuk-hint">{{ bid.lead.get_kind_display }}, {{ bid.lead.region }}</span></td>
          <td class="govuk-table__cell">{{ bid.title }}</td>
          <td class="govuk-table__cell">{% for p in bid.partners.all %}{{ p.organisation.short_name }}{% if not forloop.last %}, {% endif %}{% empty %}{% if not bid.other_partners.all %}None{% endif %}{% endfor %}{% for o in bid.other_partners.all %}{% if forloop.first and bid.partners.all %}, {% endif %}{{ o.name }}{% if not forloop.last %}, {% endif %}{% endfor %}</td>
          <td class="govuk-table__cell govuk-table__cell--numeric">{{ bid.amount_requested|pounds }}</td>
          <td class="govuk-table__cell">{{ bid.get_stage_display }}</td>
          <td class="govuk-table__cell"><strong class="govuk-tag {{ bid.status_tag_class }}">{{ bid.get_status_display }}</strong></td>
        </tr>"""

HOSTILE = '<script>alert("x")</script> & O\'Brien'
PARTNERS = {
    "none": ([], []),
    "councils": (["Kent", "Medway"], []),
    "others": ([], ["NHS Kent"]),
    "both": (["Kent"], ["NHS Kent", "Police"]),
}


class _Related(list):
    def all(self):
        return self


def _bid(status, stage, kind, partners, text, reference):
    from grants.models import Organisation

    bid = Bid(
        pk=42, reference=reference and f"{reference}{text}", title=f"Shared digital service{text}", status=status,
        stage=stage, amount_requested="50000.50",
    )  # fmt: skip
    bid.lead = Organisation(short_name=f"Kent{text}", kind=kind, region=f"South East{text}")
    councils, others = partners
    # What the template read: the prefetched partners (the row is given their names instead).
    bid.__dict__["partners"] = _Related(
        SimpleNamespace(organisation=SimpleNamespace(short_name=n + text)) for n in councils
    )
    bid.__dict__["other_partners"] = _Related(SimpleNamespace(name=n + text) for n in others)
    return bid, [n + text for n in councils] + [n + text for n in others]


@pytest.mark.parametrize("partners", list(PARTNERS), ids=list(PARTNERS))
@pytest.mark.parametrize("text", ["", HOSTILE], ids=["plain", "hostile"])
def test_each_row_is_the_old_templates_row(partners, text):
    template = engines["django"].from_string(OLD_ROW)
    detail_url = id_url("applications:bid_detail")
    for status in BidStatus.values:
        for stage, kind, reference in [
            (BidStage.FULL, OrgKind.COUNTY, "DI27-000042"),
            (BidStage.EOI, OrgKind.DISTRICT, ""),
        ]:
            bid, names = _bid(status, stage, kind, PARTNERS[partners], text, reference)
            # Bid.partners is a descriptor; the template reads our stand-in through a wrapper.
            view = SimpleNamespace(**{f: getattr(bid, f) for f in ("reference", "lead", "title", "amount_requested", "status_tag_class")},
                                   get_absolute_url=bid.get_absolute_url, get_stage_display=bid.get_stage_display,
                                   get_status_display=bid.get_status_display, partners=bid.__dict__["partners"],
                                   other_partners=bid.__dict__["other_partners"])  # fmt: skip
            expected = template.render({"bid": view})
            # In the order of staff_selectors.STAFF_LIST_ROW.
            lead = bid.lead
            row = (
                bid.pk,
                bid.reference,
                bid.title,
                bid.amount_requested,
                stage,
                status,
                lead.short_name,
                kind,
                lead.region,
            )
            got = str(row_html(row, detail_url=detail_url, partners=names))
            assert got == expected, (status, stage, partners)
            if text:
                assert "<script>" not in got


@pytest.mark.django_db
def test_the_page_lists_each_bids_partners_in_the_bid_pages_order(personas, client_for):
    """Against the database: each row's partners are its own bid's, council partners by name
    then other partners by name, as the bid page lists them; a bid with none says None."""
    rnd = personas.round
    joint = SubmittedBidFactory(round=rnd, lead=personas.lead_org)
    single = SubmittedBidFactory(round=rnd, lead=personas.other_org)
    for name in ("Zed", "Abe"):
        BidPartner.objects.create(bid=joint, organisation=f.OrganisationFactory(short_name=name))
    for name in ("Police", "Health trust"):
        OtherPartner.objects.create(bid=joint, name=name)
    html = client_for(personas.programme_manager).get(reverse("applications:staff_bid_list", args=[rnd.slug]))
    cells = re.findall(
        r'href="/bids/(\d+)/">.*?</td>\s*<td.*?</td>\s*<td.*?</td>\s*<td class="govuk-table__cell">(.*?)</td>',
        html.content.decode(),
        re.S,
    )
    assert dict(cells) == {str(joint.pk): "Abe, Zed, Health trust, Police", str(single.pk): "None"}
