"""Demo bids in the open Digital Inclusion round, none of them Kent's: Kent's officer has a round
to start a joint bid in (with Medway, which nothing stops from partnering). Leeds has a draft;
Gravesham leads a draft with Medway asked to partner (Medway's officer has a request to answer);
Sheffield has submitted. Idempotent: found by round and lead, created once."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from grants.models import Organisation

from .models import Bid, BidStatus, Question, QuestionType, Section
from .services.partners import partner_attach

KEY = "digital-inclusion"
QUESTIONS = [
    ("The need", [("Who will the project help, and why now?", QuestionType.LONG_TEXT, 300, [])]),
    (
        "Delivery",
        [
            ("How many residents will gain basic digital skills?", QuestionType.WHOLE_NUMBER, None, []),
            (
                "Which approach will you use?",
                QuestionType.SINGLE_CHOICE,
                None,
                ["Digital champions", "Device lending", "Both"],
            ),
            ("Project plan", QuestionType.FILE_UPLOAD, None, []),
        ],
    ),
]
# (lead code, title, summary, amount, status, partner codes asked, answers)
BIDS = [
    (
        "LDS",
        "Leeds device library",
        "Lend tablets with data to people leaving hospital.",
        "25000",
        BidStatus.DRAFT,
        [],
        {},
    ),
    (
        "GRA",
        "Gravesham and Medway digital champions",
        "Volunteer digital champions in libraries in Gravesham and Medway.",
        "40000",
        BidStatus.DRAFT,
        ["MDW"],
        {"Who will the project help, and why now?": "Older residents who have never been online."},
    ),
    (
        "SHF",
        "Sheffield online skills for small businesses",
        "Short courses that get small traders selling and paying online.",
        "45000",
        BidStatus.SUBMITTED,
        [],
        {
            "Who will the project help, and why now?": "Small traders who lost custom when the markets moved online.",
            "How many residents will gain basic digital skills?": 600,
            "Which approach will you use?": "Both",
        },
    ),
]


def _questions(round) -> dict[str, Question]:
    if not Section.objects.filter(round=round).exists():
        for order, (title, questions) in enumerate(QUESTIONS, start=1):
            section = Section.objects.create(round=round, title=title, order=order)
            for q_order, (text, kind, limit, choices) in enumerate(questions, start=1):
                Question.objects.create(
                    section=section,
                    text=text,
                    type=kind,
                    word_limit=limit,
                    choices=choices,
                    order=q_order,
                    required=kind != QuestionType.FILE_UPLOAD,
                )
    return {q.text: q for q in Question.objects.filter(section__round=round)}


@transaction.atomic
def seed(*, stdout=None, context: dict) -> None:
    round = context.get("rounds", {}).get(KEY)
    if round is None:
        return
    people = context.get("people", {})
    questions = _questions(round)
    made = 0
    submitted = 0
    for code, title, summary, amount, status, partner_codes, answers in BIDS:
        lead = Organisation.objects.filter(code=code).first()
        if lead is None:
            continue
        created_by = next((u for u in people.values() if u.organisation_id == lead.pk), None)
        fields = {
            "title": title,
            "summary": summary,
            "amount_requested": max(round.min_award, min(Decimal(amount), round.max_award)),
            "match_funding": Decimal(amount) / 10,  # the round asks for 10%
            "planned_start": date(round.financial_year + 1, 4, 1),
            "planned_end": date(round.financial_year + 2, 3, 31),
            "created_by": created_by,
        }
        if status == BidStatus.SUBMITTED:
            submitted += 1
            fields.update(
                status=status,
                reference=f"{round.reference_prefix}-{submitted:06d}",
                reference_number=submitted,
                submission_count=1,
                submitted_at=min(timezone.now(), round.opens_at + timedelta(days=10)),
                declaration_name="Kate Josephs",
                declaration_role="Chief Executive",
            )
        bid, created = Bid.objects.get_or_create(round=round, lead=lead, defaults=fields)
        if not created:
            continue
        made += 1
        for text, value in answers.items():
            if text in questions:
                bid.answers.create(question=questions[text], value=value)
        for partner_code in partner_codes:
            partner = Organisation.objects.get(code=partner_code)
            partner_attach(bid=bid, actor=created_by, organisation=partner)  # tells the partner's officers
    if stdout:
        stdout.write(f"applications: {made} demo bids created in {round.name}\n")
    from . import demo_eoi

    demo_eoi.seed(stdout=stdout, context=context)  # Issue 16: the two-stage round
