"""Demo assessment for Behavioural Insights phase 4 (2018/19): criteria, a panel of four, sixteen
submitted bids (the eight councils selected in the LGA's reports and eight unsuccessful ones),
assignments and submitted scores, and proposed decisions for the manager to confirm.

Idempotent: everything is found by natural keys and created once.
"""

from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from grants.models import Organisation, User

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
    """The demo panel member and chair sit on the Behavioural Insights phase 4 and Digital Inclusion panels."""
    from .models import Panel, PanelMember

    rounds, people = context.get("rounds", {}), context.get("people", {})
    for slug in ("bi-phase-4", "digital-inclusion-2019-20"):
        if slug not in rounds:
            continue
        panel, _ = Panel.objects.get_or_create(round=rounds[slug], defaults={"name": f"{rounds[slug].name} panel"})
        PanelMember.objects.update_or_create(
            panel=panel, user=people["panel.member@lga.example.com"], defaults={"is_chair": False}
        )
        PanelMember.objects.update_or_create(
            panel=panel, user=people["panel.chair@lga.example.com"], defaults={"is_chair": True}
        )


def seed(*, stdout=None, context: dict) -> None:
    from applications.models import Bid, BidStatus

    from . import services
    from .models import Assignment, Criterion, Panel, PanelMember

    _panels_seed(context)
    rnd = context.get("rounds", {}).get(SLUG)
    people = context.get("people", {})
    manager = people.get("programme.manager@lga.example.com")
    if rnd is None or manager is None:
        return
    from grants.demo import DEMO_PASSWORD

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
    criteria = []
    for order, (name, scale, weight, guidance, descriptors) in enumerate(CRITERIA):
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
    made = 0
    quality: dict[int, float] = {}
    for number, (short, title, amount, q) in enumerate(SELECTED + UNSUCCESSFUL, start=1):
        org = Organisation.objects.councils().filter(short_name=short).order_by("end_date").first()
        if org is None:
            continue
        bid, created = Bid.objects.get_or_create(
            round=rnd,
            lead=org,
            defaults={
                "title": title,
                "summary": f"{org.short_name} will test behavioural nudges: {title.lower()}.",
                "amount_requested": Decimal(amount),
                "match_funding": Decimal("0.00"),
                "planned_start": date(2018, 10, 1),
                "planned_end": date(2019, 9, 30),
                "status": BidStatus.SUBMITTED,
                "reference": f"{rnd.reference_prefix}-{number:06d}",
                "reference_number": number,
                "submission_count": 1,
                "submitted_at": rnd.closes_at - timedelta(days=2, hours=number),
                "declaration_name": "Chief Executive",
                "declaration_role": "Head of Paid Service",
            },
        )
        made += created
        quality[bid.pk] = q
    # Everyone declares (the demo assessors have no other interests), then automatic assignment.
    for person in [*assessors, people["panel.chair@lga.example.com"]]:
        services.declaration_confirm(round=rnd, user=person)
    if not Assignment.objects.filter(bid__round=rnd).exists():
        services.assignment_auto(round=rnd, actor=manager)
    for row in Assignment.objects.filter(bid__round=rnd, withdrawn_at__isnull=True).select_related("bid", "assessor"):
        if row.bid_id not in quality or getattr(row, "assessment", None) is not None:
            continue
        seat = 0 if row.assessor_id == min(a.pk for a in assessors) else 1
        spread = 0.35 if row.bid.lead.short_name == "Plymouth" and seat else 0  # one bid for moderation
        data = {
            c.pk: {
                "score": _score(c, max(0.0, quality[row.bid_id] - spread), seat),
                "justification": f"{c.name}: {'strong' if quality[row.bid_id] > 0.75 else 'limited'} evidence in the bid.",
            }
            for c in criteria
        }
        # Scored in July 2018, inside the round's assessment window.
        scored_at = rnd.closes_at + timedelta(days=14)
        services.assessment_submit(assignment=row, user=row.assessor, data=data, now=scored_at)
    selected = {s for s, *_ in SELECTED}
    for bid in Bid.objects.filter(round=rnd, status=BidStatus.SUBMITTED).select_related("lead"):
        if not hasattr(bid, "decision"):
            outcome = "funded" if bid.lead.short_name in selected else "not_funded"
            feedback = "" if outcome == "funded" else services.feedback_from_justifications(bid=bid)
            services.decision_propose(bid=bid, actor=manager, outcome=outcome, feedback=feedback)
    if stdout:
        stdout.write(
            f"scoring: {made} demo bids in {rnd.name}; {len(criteria)} criteria; "
            f"{Assignment.objects.filter(bid__round=rnd).count()} assignments; started {timezone.localdate(rnd.assessment_started_at) if rnd.assessment_started_at else '-'}\n"
        )
