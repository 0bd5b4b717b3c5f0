"""Demo bids in the open Digital Inclusion round: a Kent-led joint bid with Medway (submitted),
and a Leeds draft. Idempotent: found by round and lead, created once."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from grants.models import Organisation

from .models import Bid, BidPartner, BidStatus, PartnerStatus, Question, QuestionType, Section

SLUG = "digital-inclusion-2019-20"
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
    round = context.get("rounds", {}).get(SLUG)
    people = context.get("people", {})
    if round is None:
        return
    questions = _questions(round)
    kent_officer = people.get("council.officer@kent.example.com")
    leeds_officer = people.get("council.officer@leeds.example.com")
    medway = Organisation.objects.filter(code="MDW").first()
    made = 0
    if kent_officer and medway:
        bid, created = Bid.objects.get_or_create(
            round=round,
            lead=kent_officer.organisation,
            defaults={
                "title": "Kent and Medway digital champions",
                "summary": "Volunteer digital champions in libraries across Kent and Medway.",
                "amount_requested": min(Decimal("45000.00"), round.max_award),
                "match_funding": Decimal("10000.00"),
                "planned_start": date(round.financial_year, 4, 1),
                "planned_end": date(round.financial_year + 1, 3, 31),
                "created_by": kent_officer,
                "status": BidStatus.SUBMITTED,
                "reference": f"{round.reference_prefix}-000001",
                "reference_number": 1,
                "submission_count": 1,
                "declaration_name": "Chief Executive",
                "declaration_role": "Head of Paid Service",
            },
        )
        if created:
            from django.utils import timezone

            bid.submitted_at = timezone.now()
            bid.save(update_fields=["submitted_at"])
            BidPartner.objects.create(
                bid=bid,
                organisation=medway,
                status=PartnerStatus.CONFIRMED,
                confirmed_by=people.get("partner.officer@medway.example.com"),
            )
            answers = {
                "Who will the project help, and why now?": "Older residents who have never been online.",
                "How many residents will gain basic digital skills?": 1200,
                "Which approach will you use?": "Digital champions",
            }
            for text, value in answers.items():
                if text in questions:
                    bid.answers.create(question=questions[text], value=value)
            made += 1
    if leeds_officer:
        _, created = Bid.objects.get_or_create(
            round=round,
            lead=leeds_officer.organisation,
            defaults={
                "title": "Leeds device library",
                "summary": "Lend tablets with data to people leaving hospital.",
                "amount_requested": max(round.min_award, Decimal("25000.00")),
                "created_by": leeds_officer,
            },
        )
        made += created
    if stdout:
        stdout.write(f"applications: {made} demo bids created\n")
