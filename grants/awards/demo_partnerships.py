"""One Public Estate's standing partnerships (issue 17): councils in partnerships that receive
awards across phases, so the board report's reach counts members, not only leads.

Phase 5 (January 2017, "249 councils in 60 partnerships") is added here as an earlier round;
phase 7 (April 2019) is grants.demo's. Partnerships, members and amounts are illustrative (the
reports give programme totals only). East Cambridgeshire joins Cambridgeshire and Peterborough's
partnership after phase 5; Great Yarmouth leaves Norfolk's before phase 7. Gloucestershire's
phase 7 award stays a one-off joint bid.

Reach as at 31 March 2017: 12 councils in 2 partnerships; as at 30 June 2019: 19 councils
(17 members of 3 partnerships and a joint bid's 2). Written through the services, so a second
run finds everything and creates nothing.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from grants.awards.models import (
    Award,
    AwardStatus,
    MonitoringReturn,
    PaymentTranche,
    Rag,
    ReturnPeriod,
    ReturnStatus,
    TrancheStatus,
)
from grants.models import Organisation, Partnership, Programme, Round

from .services import (
    award_create_historic,
    award_partnership_set,
    partnership_awards_sync,
    partnership_create,
    partnership_member_add,
    partnership_member_leave,
)

LONDON = ZoneInfo("Europe/London")
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
PHASE_5 = {
    "slug": "ope-phase-5",
    "name": "One Public Estate phase 5",
    "reference_prefix": "OPE5",
    "financial_year": 2016,
    "budget": Decimal("3600000"),
    "min_award": Decimal("20000"),
    "max_award": Decimal("150000"),
    "max_partners": 20,
    "opens_at": datetime(2016, 9, 5, 12, tzinfo=LONDON),
    "closes_at": datetime(2016, 11, 4, 12, tzinfo=LONDON),
    "decided_at": datetime(2017, 1, 20, 12, tzinfo=LONDON),
    "decision_date": date(2017, 1, 20),
    "published": True,
    "prospectus": "Funding for partnerships of councils and public bodies to release land and property.",
}
PHASE_5_DATE = date(2017, 1, 31)
# (reference, partnership code, amount)
PHASE_5_AWARDS = [("OPE5-000001", "OPE-CP", "80000"), ("OPE5-000002", "OPE-NN", "65000")]
# Phase 7 awards (made by grants.awards.demo) to a partnership: reference -> partnership code.
PHASE_7_AWARDS = {"OPE7-000001": "OPE-CP", "OPE7-000002": "OPE-NN", "OPE7-000003": "OPE-HT"}


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


def _phase_5_round(programme: Programme) -> Round:
    spec = dict(PHASE_5)
    rnd, _ = Round.objects.get_or_create(slug=spec.pop("slug"), defaults={"programme": programme, **spec})
    return rnd


def _phase_5_award(rnd: Round, reference: str, partnership: Partnership, amount: str) -> Award:
    award = Award.objects.filter(reference=reference).first()
    if award is None:
        award = award_create_historic(
            round=rnd,
            lead=partnership.lead,
            title=f"{partnership.name.replace(' partnership', '')}: phase 5",
            amount=Decimal(amount),
            award_date=PHASE_5_DATE,
            actor=None,
            reference=reference,
            status=AwardStatus.COMPLETED,
            planned_start=PHASE_5_DATE,
            planned_end=date(2018, 3, 31),
            scope="Illustrative partnership: the reports give phase 5 totals only (249 councils in 60 partnerships).",
        )
        award.closure_report = "Projects completed; the partnership went on to phase 7."
        award.save(update_fields=["closure_report"])
        PaymentTranche.objects.filter(award=award, number=1).update(
            status=TrancheStatus.PAID, paid_on=PHASE_5_DATE + timedelta(days=30), payment_reference=f"HIST-{reference}"
        )
    return award


def _final_return(award: Award, period: ReturnPeriod) -> None:
    """The phase 5 final return, sent three weeks after the year ended and approved a week later."""
    sent = datetime(2018, 4, 20, 10, tzinfo=LONDON)
    MonitoringReturn.objects.update_or_create(
        award=award,
        period=period,
        defaults={
            "status": ReturnStatus.APPROVED,
            "rag": Rag.GREEN,
            "commentary": "Feasibility work done; schemes carried into phase 7.",
            "submitted_at": sent,
            "submission_count": 1,
            "reviewed_at": sent + timedelta(days=7),
        },
    )


def seed(stdout=None, context=None) -> dict:
    programme = Programme.objects.get(slug="one-public-estate")
    partnerships = _partnerships(programme)
    rnd = _phase_5_round(programme)
    period, _ = ReturnPeriod.objects.update_or_create(
        round=rnd,
        title="Final return 2017/18",
        defaults={"period_start": PHASE_5_DATE, "period_end": date(2018, 3, 31), "due_on": date(2018, 4, 27)},
    )
    awards = [(_phase_5_award(rnd, ref, partnerships[code], amount), code) for ref, code, amount in PHASE_5_AWARDS]
    for award, _ in awards:
        _final_return(award, period)
    awards += [(a, PHASE_7_AWARDS[a.reference]) for a in Award.objects.filter(reference__in=PHASE_7_AWARDS)]
    for award, code in awards:
        if award.partnership_id != partnerships[code].pk:
            award_partnership_set(award=award, partnership=partnerships[code], actor=None)
    for p in partnerships.values():  # the phase 7 seed sets its awards' partners: the membership decides
        partnership_awards_sync(p)
    if stdout:
        stdout.write(f"Partnerships demo: {len(partnerships)} One Public Estate partnerships")
    return {"partnerships": partnerships}
