"""The question builder's rules. Before any bid is submitted, managers change anything except the
type of a question drafts have answered (the answers would no longer fit; deleting the question,
after a confirmation that counts them, is the honest way). After the first submission, answers
pin their questions: wording, hints and order may change, but nothing that would orphan or
invalidate an answer (deleting, changing type, dropping an option in use, making a question
required, a word limit below an answer's length)."""

from django.db import transaction

from grants.core.audit import audit_record
from grants.models import Round, User

from .answers import CONDITION_TYPES, is_blank, word_count
from .models import Answer, EvidenceFile, Question, Section
from .selectors import questions_locked, round_questions
from .services import BidError

LOCKED = "Bids have been submitted in this round, so {what}: their answers would be lost or no longer fit."


@transaction.atomic
def save_section(*, round: Round, actor: User, section: Section | None = None, **fields) -> Section:
    if section is not None and "stage" in fields and fields["stage"] != section.stage and questions_locked(round=round):
        raise BidError(
            {"stage": LOCKED.format(what="a section cannot move between the expression of interest and the full bid")}
        )
    section = section or Section(round=round)
    for key, value in fields.items():
        setattr(section, key, value)
    section.save()
    _check_conditions(round_id=round.pk, field="order")
    audit_record(actor=actor, action="round.section_saved", target=round, summary=f"Section {section.title}")
    return section


def deletion_cost(*, questions) -> tuple[int, int]:
    """(answers deleted, files kept but detached) if these questions go, for the confirmation page."""
    values = Answer.objects.filter(question__in=questions, value__isnull=False).values_list("value", flat=True)
    return sum(1 for v in values if not is_blank(v)), EvidenceFile.objects.filter(question__in=questions).count()


@transaction.atomic
def delete_section(*, section: Section, actor: User) -> None:
    if questions_locked(round=section.round):
        raise BidError(LOCKED.format(what="sections cannot be deleted"))
    _refuse_if_controls(Question.objects.filter(section=section))
    Answer.objects.filter(question__section=section).delete()
    EvidenceFile.objects.filter(question__section=section).update(question=None)
    audit_record(actor=actor, action="round.section_deleted", target=section.round, summary=f"Section {section.title}")
    section.delete()


def _refuse_if_controls(questions) -> None:
    """A question others depend on cannot go while they stay: they would silently always show."""
    dependant = Question.objects.filter(show_if_question__in=questions).exclude(pk__in=questions).first()
    if dependant is not None:
        raise BidError(
            f"‘{dependant.text}’ is shown only for an answer to a question being deleted: remove its condition first"
        )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def answered_bid_count(*, question: Question) -> int:
    """How many bids hold an answer or a file for this question."""
    rows = Answer.objects.filter(question=question, value__isnull=False).values_list("bid_id", "value")
    bids = {bid_id for bid_id, value in rows if not is_blank(value)}
    bids |= set(EvidenceFile.objects.filter(question=question).values_list("bid_id", flat=True))
    return len(bids)


def _locked_changes(*, question: Question, fields: dict) -> dict[str, str]:
    """What a change to a question pinned by submitted answers would break, by field."""
    errors = {}
    if fields.get("type", question.type) != question.type:
        errors["type"] = LOCKED.format(what="a question's type cannot change")
    dropped = set(question.choices) - set(fields.get("choices", question.choices))
    answers = list(Answer.objects.filter(question=question, value__isnull=False).values_list("value", flat=True))
    if dropped and any((set(v) if isinstance(v, list) else {v}) & dropped for v in answers):
        errors["choices_text"] = LOCKED.format(what="options that bids have chosen cannot be removed")
    if "show_if_question_id" in fields and (
        fields["show_if_question_id"] != question.show_if_question_id
        or list(fields.get("show_if_values", [])) != list(question.show_if_values)
    ):
        errors["show_if"] = LOCKED.format(what="when a question is shown cannot change")
    if fields.get("required") and not question.required:
        errors["required"] = LOCKED.format(what="an optional question cannot become required")
    limit = fields.get("word_limit", question.word_limit)
    shrinking = limit and (question.word_limit is None or limit < question.word_limit)
    if shrinking and question.type == "long_text" and fields.get("type", question.type) == "long_text":
        longest = max((word_count(v) for v in answers if isinstance(v, str)), default=0)
        if longest > limit:
            errors["word_limit"] = (
                f"Bids have been submitted in this round and the longest answer to this question has {longest} "
                f"words, so the word limit cannot be lower than {longest}"
            )
    return errors


@transaction.atomic
def save_question(*, section: Section, actor: User, question: Question | None = None, **fields) -> Question:
    creating = question is None
    locked = questions_locked(round=section.round)
    if not creating and locked:
        errors = _locked_changes(question=question, fields=fields)
        if errors:
            raise BidError(errors)
    if not creating and not locked and fields.get("type", question.type) != question.type:
        answered = answered_bid_count(question=question)
        if answered:
            raise BidError(
                {
                    "type": f"{_plural(answered, 'draft bid')} {'has' if answered == 1 else 'have'} answered this "
                    "question, so its type cannot change: the answers would no longer fit. Add a new question "
                    "instead, or delete this one (which deletes its answers)"
                }
            )
    if creating and fields.get("required") and locked:
        raise BidError({"required": LOCKED.format(what="new questions must be optional")})
    question = question or Question(section=section)
    for key, value in fields.items():
        setattr(question, key, value)
    if question.type != "long_text":
        question.word_limit = None
    if question.show_if_question_id is None:
        question.show_if_values = []
    question.save()
    _check_conditions(round_id=section.round_id, field="conditions", question=question)
    audit_record(actor=actor, action="round.question_saved", target=section.round, summary=f"Question {question.text}")
    return question


def _check_conditions(*, round_id: int, field: str, question: Question | None = None) -> None:
    """Refuse (rolling back the change) anything that leaves a condition on a question that is
    not earlier in the round, not yes/no or a choice, or on an answer it can no longer have:
    a new condition, a reordered question or section, a changed type or dropped option."""
    questions = round_questions(round_id=round_id)
    by_pk = {q.pk: q for q in questions}
    seen: set[int] = set()
    for q in questions:
        parent = by_pk.get(q.show_if_question_id)
        if q.show_if_question_id is not None:
            own = question is not None and q.pk == question.pk
            subject = "This question" if own else f"‘{q.text}’"
            where = "show_if" if own else field
            if parent is None:
                raise BidError({where: "A question can only depend on a question in the same round"})
            if parent.pk not in seen:
                raise BidError(
                    {
                        where: f"{subject} depends on the answer to ‘{parent.text}’, "
                        "which must come before it: move it above, or remove the condition first"
                    }
                )
            if parent.type not in CONDITION_TYPES:
                raise BidError(
                    {
                        where: f"{subject} depends on ‘{parent.text}’, which must be "
                        "a yes or no, single choice or multiple choice question"
                    }
                )
            allowed = ["yes", "no"] if parent.type == "yes_no" else parent.choices
            if not q.show_if_values or any(v not in allowed for v in q.show_if_values):
                raise BidError(
                    {
                        where: f"{subject} depends on an answer ‘{parent.text}’ no longer "
                        "offers: change its condition first"
                    }
                )
        seen.add(q.pk)


@transaction.atomic
def delete_question(*, question: Question, actor: User) -> None:
    round = question.section.round
    if questions_locked(round=round):
        raise BidError(LOCKED.format(what="questions cannot be deleted"))
    _refuse_if_controls(Question.objects.filter(pk=question.pk))
    Answer.objects.filter(question=question).delete()
    EvidenceFile.objects.filter(question=question).update(question=None)
    audit_record(actor=actor, action="round.question_deleted", target=round, summary=f"Question {question.text}")
    question.delete()


@transaction.atomic
def copy_questions(*, source: Round, target: Round, actor: User) -> int:
    """Append copies of every section and question of `source` to `target`."""
    from grants.permissions import can_view_programme

    if source.pk == target.pk:
        raise BidError({"source": "Choose a different round to copy from"})
    if not can_view_programme(actor, source.programme):
        raise BidError({"source": "Choose a round of a programme you work on"})
    if questions_locked(round=target):
        raise BidError(LOCKED.format(what="questions cannot be copied in"))
    offset = (Section.objects.filter(round=target).order_by("-order").values_list("order", flat=True).first() or 0) + 1
    count, copies = 0, {}
    for section in Section.objects.filter(round=source).prefetch_related("questions"):
        copy = Section.objects.create(
            round=target, title=section.title, description=section.description, order=section.order + offset
        )
        for q in section.questions.all():
            copies[q.pk] = Question.objects.create(
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
    for q in Question.objects.filter(section__round=source, show_if_question__isnull=False):
        if q.show_if_question_id in copies:
            copy = copies[q.pk]
            copy.show_if_question, copy.show_if_values = copies[q.show_if_question_id], list(q.show_if_values)
            copy.save(update_fields=["show_if_question", "show_if_values"])
    audit_record(actor=actor, action="round.questions_copied", target=target, summary=f"Copied {count} from {source}")
    return count
