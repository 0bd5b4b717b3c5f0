"""Issue 16 demo: two two-stage rounds. Productivity Experts' expressions of interest closed five
days ago: six councils (Birmingham, Manchester, Sheffield, City of York, Gravesham, Leeds) sent one
in time, and the programme's triage of them is scoring.demo_conversation's. Its full-bid section asks
a conditional question (applications.demo_conditional). Cyber Security's expressions of interest
closed yesterday: four councils' wait for the programme's triage. Idempotent: found by round and lead."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from grants.models import Organisation, Round

from . import demo_conditional
from .models import Bid, BidStage, BidStatus, Question, QuestionType, Section

KEY = "px-eoi"
TRIAGE_KEY = "cyber-eoi"
EOI_QUESTIONS = [
    ("What commercial problem will the expert help you solve?", QuestionType.LONG_TEXT, 150),
    ("Which services or assets are involved?", QuestionType.LONG_TEXT, 100),
    ("What would success look like in a year?", QuestionType.LONG_TEXT, 100),
]
FULL_QUESTIONS = [
    ("How will you commission and manage the expert?", QuestionType.LONG_TEXT, 500),
    ("What will it cost, and what will you contribute?", QuestionType.LONG_TEXT, 300),
]
# (lead code, title, amount, answers to the EOI questions): every one sent in time
EOIS = [
    ("BIR", "Birmingham commercial property review", "50000",
     ["Income from our commercial estate has fallen for three years.", "Markets and the industrial estate.",
      "A plan that restores £400,000 a year of rent."]),
    ("MAN", "Manchester trading company business case", "45000",
     ["We want to test whether a trading company could sell our building control service.", "Building control.",
      "A business case the cabinet can decide on."]),
    ("SHF", "Sheffield energy income", "40000",
     ["Selling surplus solar power from council buildings.", "Depots and leisure centres.",
      "A signed power purchase agreement."]),
    ("YOR", "York parking and fees review", "25000",
     ["Our fees and charges have not been reviewed since 2015.", "Parking and bereavement services.",
      "A fees policy agreed by members."]),
    ("GRA", "Gravesham commercial waste", "30000",
     ["Growing the trade waste service to cover its costs.", "Trade waste collection.",
      "Two hundred more trade customers."]),
    ("LDS", "Leeds advertising income", "20000",
     ["Advertising on council land and vehicles.", "Roundabouts, bus shelters and refuse lorries.",
      "A concession that brings in £150,000 a year."]),
]  # fmt: skip


CYBER_EOI_QUESTIONS = [
    ("What is your council's most pressing cyber risk?", QuestionType.LONG_TEXT, 150),
    ("What would you do with the grant?", QuestionType.LONG_TEXT, 150),
]
CYBER_FULL_QUESTIONS = [
    ("How will you deliver the work, and by when?", QuestionType.LONG_TEXT, 500),
    ("How will you know your council is more resilient?", QuestionType.LONG_TEXT, 300),
]
CYBER_EOIS = [
    ("NET", "Newcastle backup and recovery", "30000",
     ["Ransomware: our backups are online and untested.", "Offline backups and a tested recovery plan."]),
    ("BST", "Bristol phishing resilience", "20000",
     ["Phishing: one in five staff clicked in our last test.", "Training and a reporting button for all staff."]),
    ("NFK", "Norfolk network segmentation", "30000",
     ["A flat network joins our care systems to the office network.", "Separate the care systems' network."]),
    ("LDS", "Leeds cyber incident exercise", "10000",
     ["We have never rehearsed a cyber incident with members.", "A rehearsal with the LGA and the NCSC."]),
]  # fmt: skip
ROUNDS = {
    KEY: (EOI_QUESTIONS, FULL_QUESTIONS, EOIS),
    TRIAGE_KEY: (CYBER_EOI_QUESTIONS, CYBER_FULL_QUESTIONS, CYBER_EOIS),
}


def _questions(round: Round, eoi_questions, full_questions) -> list[Question]:
    if not Section.objects.filter(round=round).exists():
        for order, (title, stage, questions) in enumerate(
            [("Your idea", BidStage.EOI, eoi_questions), ("Delivery and costs", BidStage.FULL, full_questions)], 1
        ):
            section = Section.objects.create(round=round, title=title, order=order, stage=stage)
            for q_order, (text, kind, limit) in enumerate(questions, 1):
                Question.objects.create(section=section, text=text, type=kind, word_limit=limit, order=q_order)
    return list(Question.objects.filter(section__round=round, section__stage=BidStage.EOI).order_by("order"))


def seed(*, stdout=None, context: dict) -> None:
    for key, (eoi_questions, full_questions, eois) in ROUNDS.items():
        round = context.get("rounds", {}).get(key)
        if round is not None:
            _seed_round(round, _questions(round, eoi_questions, full_questions), eois, context, stdout)
    demo_conditional.seed(context.get("rounds", {}).get(KEY))


def _seed_round(round: Round, questions: list[Question], eois, context: dict, stdout) -> None:
    people = context.get("people", {})
    made = sent = 0
    for code, title, amount, answers in eois:
        lead = Organisation.objects.filter(code=code).first()
        if lead is None:
            continue
        fields = {
            "title": title,
            "summary": answers[0],
            "amount_requested": Decimal(amount),
            "match_funding": Decimal("0"),
            "planned_start": date(round.financial_year + 1, 4, 1),
            "planned_end": date(round.financial_year + 2, 3, 31),
            "stage": BidStage.EOI,
            "created_by": next((u for u in people.values() if u.organisation_id == lead.pk), None),
        }
        sent += 1
        at = min(timezone.now(), round.opens_at + timedelta(days=3 + sent))
        fields.update(
            status=BidStatus.SUBMITTED,
            reference=f"{round.reference_prefix}-{sent:06d}",
            reference_number=sent,
            submission_count=1,
            submitted_at=at,
            eoi_submitted_at=at,
            declaration_name="Chief Executive's office",
            declaration_role="Director of Resources",
        )
        bid, created = Bid.objects.get_or_create(round=round, lead=lead, defaults=fields)
        if not created:
            continue
        made += 1
        for question, value in zip(questions, answers, strict=False):
            if value:
                bid.answers.create(question=question, value=value)
    if stdout:
        stdout.write(f"applications: {made} demo expressions of interest created in {round.name}\n")
