"""Issue 16 demo: a conditional question in the Productivity Experts full bid. "Have you worked with
a commercial expert before?" and, only when the answer is yes, "What did that work achieve?".

The demo owns the round's set-up, so it adds the pair through the model even though the round is
live (the builder locks a live round's questions for councils' sake; no bid has reached the
full-bid section before the demo's own invitations). Idempotent: found by section and text.
"""

from grants.models import Round

from .models import BidStage, Question, QuestionType, Section

CONTROL = "Have you worked with a commercial expert before?"
FOLLOW_UP = "What did that work achieve, and what will you do differently this time?"


def questions(round: Round) -> tuple[Question, Question] | None:
    """The controlling question and its follow-up, or None before the demo adds them."""
    found = {q.text: q for q in Question.objects.filter(section__round=round, text__in=[CONTROL, FOLLOW_UP])}
    if CONTROL in found and FOLLOW_UP in found:
        return found[CONTROL], found[FOLLOW_UP]
    return None


def seed(round: Round | None) -> None:
    if round is None:
        return
    section = Section.objects.filter(round=round, stage=BidStage.FULL).order_by("order").first()
    if section is None:
        return
    last = section.questions.order_by("-order").values_list("order", flat=True).first() or 0
    control, _ = Question.objects.get_or_create(
        section=section,
        text=CONTROL,
        defaults={
            "type": QuestionType.YES_NO,
            "order": last + 1,
            "hint": "An adviser, interim or consultancy paid to raise income or cut costs.",
        },
    )
    Question.objects.get_or_create(
        section=section,
        text=FOLLOW_UP,
        defaults={
            "type": QuestionType.LONG_TEXT,
            "word_limit": 200,
            "order": control.order + 1,
            "show_if_question": control,
            "show_if_values": ["yes"],
        },
    )
