"""One Public Estate's standing partnerships (issue 17): councils in partnerships that receive
awards across phases, so the board report's reach counts members, not only leads.

Phase 5 (January 2017, "249 councils in 60 partnerships") and phase 7 (April 2019) are rounds of
grants.demo; their awards come from the history workbook (one-public-estate.xlsx), and the first
two of phase 5 and three of phase 7 are linked here to their partnership. Partnerships, members
and amounts are illustrative (the reports give programme totals only). East Cambridgeshire joins Cambridgeshire and Peterborough's
partnership after phase 5; Great Yarmouth leaves Norfolk's before phase 7. Gloucestershire's
phase 7 award stays a one-off joint bid.

Reach as at 31 March 2017: the report's 249 councils (12 in the 2 standing partnerships, 237 in
phase 5's joint bids); as at 30 June 2019: 292 councils, in 3 standing partnerships and joint bids. Written through the services, so a second
run finds everything and creates nothing.
"""

from datetime import date

from grants.awards.models import Award
from grants.models import Organisation, Partnership, Programme

from .services import (
    award_partnership_set,
    partnership_awards_sync,
    partnership_create,
    partnership_member_add,
    partnership_member_leave,
)

FORMED = date(2016, 6, 1)
# (name, code, lead, members from FORMED, [(joined later, on)], [(left, on)])
PARTNERSHIPS = [
    (
        "Cambridgeshire and Peterborough public estate partnership", "OPE-CP", "CAM",
        ["PTE", "HUN", "FEN", "SCA", "CAB"], [("ECA", date(2018, 6, 1))], [],
    ),
    (
        "Norfolk and Norwich public estate partnership", "OPE-NN", "NFK",
        ["NOW", "BRE", "BRO", "SNO", "GRY"], [], [("GRY", date(2018, 4, 1))],
    ),
    ("Hertfordshire public estate partnership", "OPE-HT", "HRT", ["WAT", "SAL", "DAC", "HER"], [], []),
]  # fmt: skip
# Awards to a partnership (made by the history workbook one-public-estate.xlsx, whose partners are
# the members on each award's date): reference -> partnership code.
PARTNERSHIP_AWARDS = {
    "OPE5-000001": "OPE-CP",
    "OPE5-000002": "OPE-NN",
    "OPE7-000001": "OPE-CP",
    "OPE7-000002": "OPE-NN",
    "OPE7-000003": "OPE-HT",
}
PHASE_5_CLOSURE = "Projects completed; the partnership went on to phase 7."


def _org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def _partnerships(programme: Programme) -> dict[str, Partnership]:
    out = {}
    for name, code, lead, members, joined, left in PARTNERSHIPS:
        p = Partnership.objects.filter(programme=programme, name=name).first()
        if p is None:
            p = partnership_create(
                programme=programme,
                name=name,
                code=code,
                lead=_org(lead),
                formed_on=FORMED,
                members=tuple(_org(c) for c in members),
                actor=None,
            )
        for c, on in joined:
            if not p.members.filter(organisation__code=c, joined_on=on).exists():
                partnership_member_add(partnership=p, organisation=_org(c), joined_on=on, actor=None)
        for c, on in left:
            member = p.members.get(organisation__code=c, joined_on=FORMED)
            if member.left_on is None:
                partnership_member_leave(member=member, left_on=on, actor=None)
        out[code] = p
    return out


def seed(stdout=None, context=None) -> dict:
    programme = Programme.objects.get(slug="one-public-estate")
    partnerships = _partnerships(programme)
    awards = [(a, PARTNERSHIP_AWARDS[a.reference]) for a in Award.objects.filter(reference__in=PARTNERSHIP_AWARDS)]
    Award.objects.filter(reference__in=["OPE5-000001", "OPE5-000002"]).update(closure_report=PHASE_5_CLOSURE)
    for award, code in awards:
        if award.partnership_id != partnerships[code].pk:
            award_partnership_set(award=award, partnership=partnerships[code], actor=None)
    for p in partnerships.values():  # the workbook sets its awards' partners: the membership decides
        partnership_awards_sync(p)
    if stdout:
        stdout.write(f"Partnerships demo: {len(partnerships)} One Public Estate partnerships")
    return {"partnerships": partnerships}
