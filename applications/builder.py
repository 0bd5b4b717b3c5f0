"""The question builder's rules. Before any bid is submitted, managers change anything; after
that, answers pin their questions: wording, hints and order may change, but nothing that would
orphan or invalidate an answer (deleting, changing type, dropping an option in use)."""

from django.db import transaction

from grants.models import Round, User
from grants.services import audit_record

from .models import Answer, EvidenceFile, Question, Section
from .selectors import questions_locked
from .services import BidError

LOCKED = "Bids have been submitted in this round, so {what}: their answers would be lost or no longer fit."


@transaction.atomic
def save_section(*, round: Round, actor: User, section: Section | None = None, **fields) -> Section:
    section = section or Section(round=round)
    for key, value in fields.items():
        setattr(section, key, value)
    section.save()
    audit_record(actor=actor, action="round.section_saved", target=round, summary=f"Section {section.title}")
    return section


@transaction.atomic
def delete_section(*, section: Section, actor: User) -> None:
    if questions_locked(round=section.round):
        raise BidError(LOCKED.format(what="sections cannot be deleted"))
    Answer.objects.filter(question__section=section).delete()
    EvidenceFile.objects.filter(question__section=section).update(question=None)
    audit_record(actor=actor, action="round.section_deleted", target=section.round, summary=f"Section {section.title}")
    section.delete()


@transaction.atomic
def save_question(*, section: Section, actor: User, question: Question | None = None, **fields) -> Question:
    creating = question is None
    if question is not None and questions_locked(round=section.round):
        if fields.get("type", question.type) != question.type:
            raise BidError({"type": LOCKED.format(what="a question's type cannot change")})
        dropped = set(question.choices) - set(fields.get("choices", question.choices))
        used = [
            a.value
            for a in Answer.objects.filter(question=question).exclude(value=None)
            if (set(a.value) if isinstance(a.value, list) else {a.value}) & dropped
        ]
        if used:
            raise BidError({"choices_text": LOCKED.format(what="options that bids have chosen cannot be removed")})
    if creating and fields.get("required") and questions_locked(round=section.round):
        raise BidError({"required": LOCKED.format(what="new questions must be optional")})
    question = question or Question(section=section)
    for key, value in fields.items():
        setattr(question, key, value)
    if question.type != "long_text":
        question.word_limit = None
    question.save()
    audit_record(actor=actor, action="round.question_saved", target=section.round, summary=f"Question {question.text}")
    return question


@transaction.atomic
def delete_question(*, question: Question, actor: User) -> None:
    round = question.section.round
    if questions_locked(round=round):
        raise BidError(LOCKED.format(what="questions cannot be deleted"))
    Answer.objects.filter(question=question).delete()
    EvidenceFile.objects.filter(question=question).update(question=None)
    audit_record(actor=actor, action="round.question_deleted", target=round, summary=f"Question {question.text}")
    question.delete()


@transaction.atomic
def copy_questions(*, source: Round, target: Round, actor: User) -> int:
    """Append copies of every section and question of `source` to `target`."""
    if source.pk == target.pk:
        raise BidError({"source": "Choose a different round to copy from"})
    if questions_locked(round=target):
        raise BidError(LOCKED.format(what="questions cannot be copied in"))
    offset = (Section.objects.filter(round=target).order_by("-order").values_list("order", flat=True).first() or 0) + 1
    count = 0
    for section in Section.objects.filter(round=source).prefetch_related("questions"):
        copy = Section.objects.create(
            round=target, title=section.title, description=section.description, order=section.order + offset
        )
        for q in section.questions.all():
            Question.objects.create(
                section=copy,
                text=q.text,
                hint=q.hint,
                type=q.type,
                required=q.required,
                order=q.order,
                word_limit=q.word_limit,
                choices=list(q.choices),
            )
            count += 1
    audit_record(actor=actor, action="round.questions_copied", target=target, summary=f"Copied {count} from {source}")
    return count
