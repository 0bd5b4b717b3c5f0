"""Demo assessment, in closed rounds only, each bid scored by the panel's required number of assessors
before any decision:

- Behavioural Insights phase 4 (2018/19): criteria, a panel of four, sixteen submitted bids (the
  eight councils selected in the LGA's reports and eight unsuccessful ones), every bid scored twice,
  and proposed decisions for the manager to confirm.
- Phase 5 (placed a year ago): eight bids scored and decided; the awards follow (grants.awards.demo).
  Kent's joint bid with Medway was a reserve and was offered funding lately, when Stockport declined
  its offer: Kent's signatory has an offer to accept.
- Phase 6 (closed three weeks ago): eight bids; the panel member and chair are assigned six of them
  and have scored a few, two wait for assignment.
- Productivity Experts (closed ten days ago): three bids for the cyber, estate and productivity
  manager to set criteria and a panel for.

Idempotent: everything is found by natural keys and created once.
"""

from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from grants.models import Organisation, Round, User

from . import demo_conversation

SLUG = "bi-phase-4"
CRITERIA = [
    (
        "Eligible project",
        "pass_fail",
        1,
        "The lead is an English council and the project manages demand for a service.",
        {"0": "Not eligible", "1": "Eligible"},
    ),
    (
        "Clear problem and demand",
        "0-4",
        30,
        "Is the service pressure described with evidence?",
        {"0": "No evidence", "2": "Some evidence", "4": "Strong, quantified evidence"},
    ),
    (
        "Use of behavioural insights",
        "1-5",
        30,
        "Are the nudges grounded in behavioural science and testable?",
        {"1": "Generic", "3": "Plausible", "5": "Well designed trial"},
    ),
    (
        "Evaluation",
        "0-3",
        20,
        "Is there a randomised or comparable evaluation?",
        {"0": "None", "3": "Randomised controlled trial"},
    ),
    ("Value for money", "0-4", 20, "Do the expected savings justify the cost?", {"0": "Poor", "4": "Excellent"}),
]
# (short name, title, amount, quality 0..1): the eight selected first.
SELECTED = [
    ("Hammersmith and Fulham", "Increasing uptake of sheltered housing", "48000", 0.95),
    ("Bradford", "Raising flu vaccine uptake among frontline staff", "45000", 0.92),
    ("Havering", "Reducing household waste", "42000", 0.9),
    ("New Forest", "Reducing litter thrown from vehicles", "35000", 0.88),
    ("Westminster", "Increasing recycling and reducing abandoned waste", "50000", 0.86),
    ("Wigan", "Reducing rent arrears", "46000", 0.85),
    ("Warwickshire", "Managing demand on the multi-agency safeguarding hub", "50000", 0.83),
    ("Hounslow", "Improving recycling in high-rise flats", "40000", 0.8),
]
UNSUCCESSFUL = [
    ("Sheffield", "Nudging residents to pay council tax by direct debit", "50000", 0.7),
    ("Norfolk", "Reducing missed social care appointments", "45000", 0.62),
    ("Cornwall", "Encouraging garden waste subscriptions", "30000", 0.55),
    ("Plymouth", "Reducing demand for temporary accommodation", "50000", 0.5),
    ("Derby", "Prompting early applications for school places", "20000", 0.45),
    ("Sunderland", "Cutting no-shows at health checks", "38000", 0.4),
    ("Stockport", "Encouraging take-up of online parking permits", "25000", 0.3),
    ("Luton", "Reducing fly-tipping", "44000", 0.2),
]
# Phase 5: (lead code, partner codes, title, amount, quality, outcome). Kent is the reserve.
PHASE_5 = [
    ("LDS", [], "Prompting early council tax direct debits", "40000", 0.9, "funded"),
    ("SND", [], "Cutting no-shows at health checks", "38000", 0.88, "funded"),
    ("NFK", [], "Reducing missed social care appointments", "45000", 0.85, "funded"),
    ("CON", [], "Encouraging garden waste subscriptions", "30000", 0.82, "funded"),
    ("SKP", [], "Encouraging take-up of online parking permits", "40000", 0.8, "funded"),
    ("KEN", ["MDW"], "Kent and Medway: domestic abuse support take-up", "40000", 0.78, "reserve"),
    ("LUT", [], "Reducing fly-tipping", "44000", 0.4, "not_funded"),
    ("PLY", [], "Reducing demand for temporary accommodation", "50000", 0.35, "not_funded"),
]
DECLINED = "SKP"  # declined its offer; the reserve (Kent) was funded in its place
# Phase 6: (lead code, title, amount, quality); the first six are assigned to the demo panel.
PHASE_6 = [
    ("BIR", "Nudging residents to report potholes online", "45000", 0.9),
    ("MAN", "Reducing missed bin collections complaints", "30000", 0.8),
    ("BST", "Raising uptake of free school meals", "50000", 0.75),
    ("NET", "Reducing rent arrears in council homes", "42000", 0.7),
    ("ESX", "Encouraging carers to register", "35000", 0.6),
    ("DEV", "Cutting missed adult social care reviews", "48000", 0.5),
    ("YOR", "Prompting earlier school admission applications", "20000", 0.45),
    ("WLL", "Reducing repeat calls to the contact centre", "25000", 0.3),
]
ASSESSORS = [("assessor.one@lga.example.com", "Priya Shah"), ("assessor.two@lga.example.com", "Tom Hughes")]


def _score(criterion, quality: float, seat: int) -> int:
    """Deterministic scores around the bid's quality; the second seat marks a little harder."""
    if criterion.is_gateway:
        return 0 if quality < 0.25 else 1
    low, high = criterion.min_score, criterion.max_score
    value = low + (high - low) * quality - (0.6 if seat else 0)
    return max(low, min(high, round(value)))


@transaction.atomic
def _panels_seed(context: dict) -> None:
    """The demo panel member and chair sit on the Behavioural Insights phase 4 to 6, Digital Inclusion
    and two-stage Cyber Security (scoring.demo_cyber_eoi) panels."""
    from .models import Panel, PanelMember

    rounds, people = context.get("rounds", {}), context.get("people", {})
    for key in ("bi-phase-4", "bi-phase-5", "bi-phase-6", "digital-inclusion", "cyber-eoi"):
        if key not in rounds:
            continue
        panel, _ = Panel.objects.get_or_create(round=rounds[key], defaults={"name": f"{rounds[key].name} panel"})
        PanelMember.objects.update_or_create(
            panel=panel, user=people["panel.member@lga.example.com"], defaults={"is_chair": False}
        )
        PanelMember.objects.update_or_create(
            panel=panel, user=people["panel.chair@lga.example.com"], defaults={"is_chair": True}
        )


def _panel(rnd, people: dict) -> list[User]:
    """The round's panel: the demo member and chair and two assessors; returns the assessors
    (member first), after everyone has declared their interests (they have none)."""
    from grants.demo import DEMO_PASSWORD

    from . import services
    from .models import Panel, PanelMember

    panel, _ = Panel.objects.get_or_create(round=rnd, defaults={"name": f"{rnd.name} panel"})
    lga = people["panel.member@lga.example.com"].organisation
    assessors = [people["panel.member@lga.example.com"]]
    for email, name in ASSESSORS:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": name, "organisation": lga})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        PanelMember.objects.get_or_create(panel=panel, user=user, defaults={"is_chair": False})
        assessors.append(user)
    for person in [*assessors, people["panel.chair@lga.example.com"]]:
        services.declaration_confirm(round=rnd, user=person)
    return assessors


def criteria_seed(rnd, rows=CRITERIA) -> list:
    """The round's criteria from `rows` ((name, scale, weight, guidance, descriptors), in order),
    found by round and name."""
    from .models import Criterion

    criteria = []
    for order, (name, scale, weight, guidance, descriptors) in enumerate(rows):
        c, _ = Criterion.objects.get_or_create(
            round=rnd,
            name=name,
            defaults={
                "scale": scale,
                "weight": weight,
                "guidance": guidance,
                "descriptors": descriptors,
                "order": order,
            },
        )
        criteria.append(c)
    return criteria


def _bid(rnd, org, number: int, title: str, amount: str, partners=(), people=None):
    """A bid submitted two days before the round closed (found by round and lead on a second run)."""
    from applications.models import Bid, BidPartner, BidStatus, PartnerStatus

    start = timezone.localdate(rnd.closes_at) + timedelta(days=90)
    bid, created = Bid.objects.get_or_create(
        round=rnd,
        lead=org,
        defaults={
            "title": title,
            "summary": f"{org.short_name} will test behavioural nudges: {title[:1].lower()}{title[1:]}.",
            "amount_requested": Decimal(amount),
            "match_funding": Decimal("0.00"),
            "planned_start": start,
            "planned_end": start + timedelta(days=364),
            "status": BidStatus.SUBMITTED,
            "reference": f"{rnd.reference_prefix}-{number:06d}",
            "reference_number": number,
            "submission_count": 1,
            "submitted_at": rnd.closes_at - timedelta(days=2, hours=number),
            "declaration_name": "Chief Executive",
            "declaration_role": "Head of Paid Service",
        },
    )
    if created:
        for code in partners:
            officer = next((u for u in (people or {}).values() if u.organisation and u.organisation.code == code), None)
            BidPartner.objects.create(
                bid=bid,
                organisation=Organisation.objects.get(code=code),
                status=PartnerStatus.CONFIRMED,
                confirmed_by=officer,
                confirmed_at=bid.submitted_at - timedelta(days=3),
            )
    return bid


def _submit(rows, criteria, quality: dict[int, float], assessors: list[User], when) -> None:
    """Submit scores (as at `when`, after the close) for each assignment not yet scored."""
    from . import services

    first = min(a.pk for a in assessors)
    for row in rows:
        if row.bid_id not in quality or getattr(row, "assessment", None) is not None:
            continue
        seat = 0 if row.assessor_id == first else 1
        spread = 0.35 if row.bid.lead.short_name == "Plymouth" and seat else 0  # one bid for moderation
        q = max(0.0, quality[row.bid_id] - spread)
        data = {
            c.pk: {
                "score": _score(c, q, seat),
                "justification": f"{c.name}: {'strong' if quality[row.bid_id] > 0.75 else 'limited'} evidence in the bid.",
            }
            for c in criteria
        }
        services.assessment_submit(assignment=row, user=row.assessor, data=data, now=when)


def _phase_4(rnd, people: dict, manager: User) -> None:
    """Sixteen bids scored twice each; decisions proposed, left for the manager to confirm."""
    from applications.models import Bid, BidStatus

    from . import services
    from .models import Assignment

    assessors = _panel(rnd, people)
    criteria = criteria_seed(rnd)
    quality: dict[int, float] = {}
    for number, (short, title, amount, q) in enumerate(SELECTED + UNSUCCESSFUL, start=1):
        org = Organisation.objects.councils().filter(short_name=short).order_by("end_date").first()
        if org is None:
            continue
        bid = _bid(rnd, org, number, title, amount)
        quality[bid.pk] = q
    if not Assignment.objects.filter(bid__round=rnd).exists():
        services.assignment_auto(round=rnd, actor=manager)
    rows = Assignment.objects.filter(bid__round=rnd, withdrawn_at__isnull=True).select_related("bid__lead", "assessor")
    _submit(rows, criteria, quality, assessors, rnd.closes_at + timedelta(days=14))  # July 2018
    selected = {s for s, *_ in SELECTED}
    for bid in Bid.objects.filter(round=rnd, status=BidStatus.SUBMITTED).select_related("lead"):
        if not hasattr(bid, "decision"):
            outcome = "funded" if bid.lead.short_name in selected else "not_funded"
            feedback = "" if outcome == "funded" else services.feedback_from_justifications(bid=bid)
            services.decision_propose(bid=bid, actor=manager, outcome=outcome, feedback=feedback)


def _phase_5(rnd, people: dict, manager: User) -> None:
    """Eight bids scored twice and decided; Stockport declines its offer and the reserve, Kent's
    joint bid with Medway, is funded in its place (so Kent's offer is recent)."""
    from applications.models import Bid
    from grants.awards.models import Award, AwardStatus
    from grants.awards.services import award_transition

    from . import services
    from .models import Assignment, Decision, DecisionStatus

    assessors = _panel(rnd, people)
    criteria = criteria_seed(rnd)
    quality, outcomes = {}, {}
    for number, (code, partners, title, amount, q, outcome) in enumerate(PHASE_5, start=1):
        bid = _bid(rnd, Organisation.objects.get(code=code), number, title, amount, partners, people)
        quality[bid.pk], outcomes[bid.pk] = q, outcome
    if not Assignment.objects.filter(bid__round=rnd).exists():
        services.assignment_auto(round=rnd, actor=manager)
    rows = Assignment.objects.filter(bid__round=rnd, withdrawn_at__isnull=True).select_related("bid__lead", "assessor")
    _submit(rows, criteria, quality, assessors, rnd.closes_at + timedelta(days=14))
    bids = list(Bid.objects.filter(round=rnd, pk__in=quality).select_related("lead"))
    if not Decision.objects.filter(round=rnd).exists():
        for bid in bids:
            feedback = "" if outcomes[bid.pk] == "funded" else services.feedback_from_justifications(bid=bid)
            services.decision_propose(bid=bid, actor=manager, outcome=outcomes[bid.pk], feedback=feedback)
        services.decisions_confirm(round=rnd, bid_ids=[b.pk for b in bids], actor=manager)
        # Decided on the round's decision date, not today.
        decided = rnd.closes_at + timedelta(days=50)
        Decision.objects.filter(round=rnd).update(confirmed_at=decided)
        Round.objects.filter(pk=rnd.pk).update(decided_at=decided)
    declined = Award.objects.filter(round=rnd, lead__code=DECLINED, status=AwardStatus.OFFERED).first()
    if declined is not None:
        award_transition(
            award=declined,
            to=AwardStatus.DECLINED,
            actor=None,
            reason="The council could not find the staff to run the trial this year",
        )
    reserve = Decision.objects.filter(round=rnd, outcome="reserve", status=DecisionStatus.CONFIRMED).first()
    freed = Award.objects.filter(round=rnd, lead__code=DECLINED, status=AwardStatus.DECLINED).exists()
    if reserve is not None and freed and not Award.objects.filter(bid=reserve.bid).exists():
        services.decision_propose(bid=reserve.bid, actor=manager, outcome="funded")
        services.decisions_confirm(round=rnd, bid_ids=[reserve.bid_id], actor=manager)


def _phase_6(rnd, people: dict, manager: User) -> None:
    """Closed three weeks ago: the demo member and chair are on six bids each, two bids wait for
    assignment; the member has scored two, the chair one."""
    from . import services
    from .models import Assignment

    _panel(rnd, people)
    criteria = criteria_seed(rnd)
    bids, quality = [], {}
    for number, (code, title, amount, q) in enumerate(PHASE_6, start=1):
        bid = _bid(rnd, Organisation.objects.get(code=code), number, title, amount)
        bids.append(bid)
        quality[bid.pk] = q
    member, chair = people["panel.member@lga.example.com"], people["panel.chair@lga.example.com"]
    if not Assignment.objects.filter(bid__round=rnd).exists():
        for person in (member, chair):
            services.assignments_bulk(bids=bids[:6], assessor=person, actor=manager)
    rows = Assignment.objects.filter(bid__round=rnd, withdrawn_at__isnull=True).select_related("bid__lead", "assessor")
    scored = {member.pk: {b.pk for b in bids[:2]}, chair.pk: {bids[0].pk}}
    rows = [r for r in rows if r.bid_id in scored.get(r.assessor_id, set())]
    _submit(rows, criteria, quality, [member, chair], rnd.closes_at + timedelta(days=2))


# Productivity Experts, closed ten days ago: bids for the manager to set criteria and a panel for.
PRODUCTIVITY = [
    ("SWD", "An expert review of home-to-school transport"),
    ("ROT", "Commissioning an expert on income from trade waste"),
    ("DST", "An expert review of the council's property running costs"),
]


def _productivity(rnd) -> None:
    for number, (code, title) in enumerate(PRODUCTIVITY, start=1):
        _bid(rnd, Organisation.objects.get(code=code), number, title, "6000")


def seed(*, stdout=None, context: dict) -> None:
    from .demo_eoi import seed as seed_eoi_criteria
    from .models import Assignment

    _panels_seed(context)
    rounds, people = context.get("rounds", {}), context.get("people", {})
    manager = people.get("programme.manager@lga.example.com")
    if manager is None:
        return
    if "bi-phase-4" in rounds:
        _phase_4(rounds["bi-phase-4"], people, manager)
    if "bi-phase-5" in rounds:
        _phase_5(rounds["bi-phase-5"], people, manager)
    if "bi-phase-6" in rounds:
        _phase_6(rounds["bi-phase-6"], people, manager)
    if "productivity-experts" in rounds:
        _productivity(rounds["productivity-experts"])
    if stdout:
        counts = {
            k: Assignment.objects.filter(bid__round=rounds[k]).count() for k in rounds if k.startswith("bi-phase")
        }
        stdout.write(f"scoring: assignments {counts}\n")
    seed_eoi_criteria(stdout=stdout, context=context)
    demo_conversation.seed(stdout=stdout, context=context)  # Issue 16: triage, clarifications, bid notes
    from . import demo_cyber_eoi  # issue 16: the two-stage Cyber Security round's criteria and panel

    demo_cyber_eoi.seed(stdout=stdout, context=context)
