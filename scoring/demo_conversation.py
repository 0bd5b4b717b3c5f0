"""Issue 16 demo: the conversation around bids, through the services a person would use, so the
history, audit and messages are as real as a user's.

- Productivity Experts (two-stage, expressions of interest closed five days ago): the programme
  invited Birmingham and Manchester, declined Leeds and Gravesham with reasons, proposed to invite
  York but has not confirmed it, and has not looked at Sheffield's yet. Birmingham's officer has
  started the full bid and answered yes to the conditional question, so its follow-up applies;
  Manchester answered yes, wrote a follow-up, then changed to no, so the follow-up is hidden (its
  answer kept, in case it changes back).
- Behavioural Insights phase 6 (being scored): the panel member asked Birmingham a question,
  which its officer answered; the programme manager's question is still open, with a reply-by
  date. The manager's notes on the bid: one for programme staff only, one for the panel too.

Idempotent: each step is done once, found by what it made.
"""

from datetime import timedelta

from django.utils import timezone

from applications import demo_conditional
from applications.models import Answer, Bid, BidStage, BidStatus, Clarification
from applications.permissions import can_add_bid_note, can_edit_bid
from applications.services import save_section_answers
from applications.services.clarifications import answer_clarification, ask_clarification, default_reply_by
from grants.models import Note, NoteVisibility, Round, User
from grants.notes import add_note

from .models import EoiOutcome, EoiTriage
from .services.eoi import eoi_confirm_batch, eoi_propose

INVITE, DECLINE = EoiOutcome.INVITE, EoiOutcome.DECLINE
# (lead code, outcome, feedback or reason, confirmed)
TRIAGE = [
    ("BIR", INVITE, "A clear case with figures. In the full bid, show how the expert's advice reaches the markets.", True),
    ("MAN", INVITE, "Say in the full bid which services a trading company would sell first.", True),
    ("LDS", DECLINE, "Advertising concessions are well understood: the programme is for problems that need an "
     "expert. The LGA's commercial advisers can help you procure one.", True),
    ("GRA", DECLINE, "Trade waste already covers most of its costs in Gravesham; other bids showed a larger gap.", True),
    ("YOR", INVITE, "Fees reviews save money quickly; ask for a smaller grant in the full bid.", False),
]  # fmt: skip
BIR_FULL = {
    "How will you commission and manage the expert?": "A six-month call-off from the pool, managed by our head "
    "of commercial with a fortnightly review at the property board.",
    demo_conditional.CONTROL: "yes",
    demo_conditional.FOLLOW_UP: "A 2019 review of our markets found £120,000 of unbilled rent. This time the "
    "expert works alongside our surveyors, so the skills stay when the contract ends.",
}
MAN_CONTROL_NO, MAN_STALE = False, "We used a consultancy for a car parking review in 2018."

BI6_QUESTIONS = [
    # (asker, question, days ago asked, answer or "" for still open)
    (
        "panel.member@lga.example.com",
        "How many residents reported potholes online last year, and how many by phone?",
        12,
        "About 4,100 online and 9,800 by phone; the figures by ward are in our contact centre report.",
    ),
    (
        "programme.manager@lga.example.com",
        "Will the highways team share its repair times with the trial, so you can show the effect on repeat reports?",
        1,
        "",
    ),
]
BI6_NOTES = [
    (NoteVisibility.STAFF, "Birmingham's head of highways rang to ask when we decide; told them the date in the "
     "prospectus. Nothing for the panel to weigh."),
    (NoteVisibility.PANEL, "The council ran a similar trial for bulky waste in 2019; its evaluation is in the "
     "appendix. Score the evaluation plan on this bid's design, not that trial's result."),
]  # fmt: skip


def seed(*, stdout=None, context: dict) -> None:
    rounds, people = context.get("rounds", {}), context.get("people", {})
    if rounds.get("px-eoi") is not None and "cyber.manager@lga.example.com" in people:
        _triage(rounds["px-eoi"], people["cyber.manager@lga.example.com"])
        _full_bids(rounds["px-eoi"], people.get("council.officer@birmingham.example.com"))
    if rounds.get("bi-phase-6") is not None:
        _bi6(rounds["bi-phase-6"], people)
    if stdout:
        stdout.write(
            f"scoring: {EoiTriage.objects.count()} expressions of interest triaged, "
            f"{Clarification.objects.count()} clarification questions\n"
        )


def _triage(rnd: Round, manager: User) -> None:
    """Propose each outcome, then confirm all but York's in one batch, as the triage page does."""
    if EoiTriage.objects.filter(bid__round=rnd).exists():
        return
    confirm = []
    for code, outcome, note, confirmed in TRIAGE:
        bid = Bid.objects.filter(round=rnd, lead__code=code, stage=BidStage.EOI, status=BidStatus.SUBMITTED).first()
        if bid is None:
            continue
        eoi_propose(bid=bid, actor=manager, outcome=outcome, note=note)
        if confirmed:
            confirm.append(bid.pk)
    eoi_confirm_batch(round=rnd, actor=manager, bid_ids=confirm)


def _full_bids(rnd: Round, birmingham: User | None) -> None:
    pair = demo_conditional.questions(rnd)
    if pair is None:
        return
    control, follow_up = pair
    section = control.section
    invited = Bid.objects.filter(round=rnd, stage=BidStage.FULL, status=BidStatus.DRAFT)
    bir = invited.filter(lead__code="BIR").first()
    # A database seeded before Birmingham had a demo account has no editor for the bid: leave it.
    started = bir is not None and bir.answers.filter(question__section=section).exists()
    if bir is not None and birmingham is not None and can_edit_bid(birmingham, bir) and not started:
        by_text = {q.text: q for q in section.questions.all()}
        data = {by_text[text].pk: value for text, value in BIR_FULL.items() if text in by_text}
        save_section_answers(bid=bir, actor=birmingham, section=section, data=data)
    man = invited.filter(lead__code="MAN").first()
    if man is not None and not man.answers.filter(question__section=section).exists():
        # Manchester has no demo account, so its answers are stored as its officer's page would
        # leave them: yes and a follow-up first, then no (the follow-up kept, hidden).
        Answer.objects.create(bid=man, question=control, value=MAN_CONTROL_NO)
        Answer.objects.create(bid=man, question=follow_up, value=MAN_STALE)


def _bi6(rnd: Round, people: dict) -> None:
    bid = Bid.objects.filter(round=rnd, lead__code="BIR", status=BidStatus.SUBMITTED).first()
    officer = people.get("council.officer@birmingham.example.com")
    if bid is None or officer is None:
        return
    now = timezone.now()
    for email, question, days_ago, answer in BI6_QUESTIONS:
        asker = people.get(email)
        if asker is None or Clarification.objects.filter(bid=bid, question=question).exists():
            continue
        asked = now - timedelta(days=days_ago)
        c = ask_clarification(
            bid=bid, actor=asker, question=question, reply_by=default_reply_by(timezone.localdate(asked)), now=asked
        )
        if answer:
            answer_clarification(clarification=c, actor=officer, answer=answer, now=asked + timedelta(days=2))
    manager = people.get("programme.manager@lga.example.com")
    for visibility, text in BI6_NOTES:
        if manager is not None and not Note.objects.filter(object_id=bid.pk, text=text).exists():
            add_note(
                target=bid,
                actor=manager,
                text=text,
                visibility=visibility,
                may_add=can_add_bid_note(manager, bid),
                allow_panel=True,
            )
