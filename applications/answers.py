"""Turning what a council typed into a stored answer, and back into words for people.

Kept apart from forms so services, exports and the check-your-answers page agree on one
reading of every question type.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from grants.core.money import pounds
from grants.core.words import counted

from .models import Question, QuestionType

T = QuestionType
MONEY_RE = re.compile(r"^\d+(\.\d{1,2})?$")


def word_count(text: str) -> int:
    return len((text or "").split())


def is_blank(value) -> bool:
    return value is None or value == "" or value == []


def clean_answer(question: Question, raw) -> object:
    """Return the JSON value to store for `raw` (a str, or list for multiple choice); None if blank.

    Raises ValidationError with a message that names the problem in plain words.
    """
    if question.type == T.MULTIPLE_CHOICE:
        values = [v for v in (raw or []) if v]
        unknown = [v for v in values if v not in question.choices]
        if unknown:
            raise ValidationError("Select options from the list")
        return values or None
    text = (raw or "").strip() if isinstance(raw, str) else raw
    if is_blank(text):
        return None
    if question.type == T.SHORT_TEXT:
        if len(text) > 300:
            raise ValidationError("Answer must be 300 characters or fewer")
        return text
    if question.type == T.LONG_TEXT:
        if question.word_limit and word_count(text) > question.word_limit:
            raise ValidationError(
                f"Answer must be {counted(question.word_limit, 'word')} or fewer (you have {counted(word_count(text), 'word')})"
            )
        if len(text) > 50000:
            raise ValidationError("Answer is too long")
        return text
    if question.type == T.WHOLE_NUMBER:
        cleaned = text.replace(",", "")
        if not re.fullmatch(r"-?\d{1,12}", cleaned):
            raise ValidationError("Enter a whole number, like 12")
        return int(cleaned)
    if question.type == T.MONEY:
        cleaned = text.replace(",", "").replace("£", "").strip()
        if not MONEY_RE.match(cleaned):
            raise ValidationError("Enter an amount in pounds, like 1500 or 1500.50")
        try:
            amount = Decimal(cleaned).quantize(Decimal("0.01"))
        except InvalidOperation as exc:
            raise ValidationError("Enter an amount in pounds, like 1500 or 1500.50") from exc
        if amount >= Decimal("1e12"):
            raise ValidationError("Amount is too large")
        return str(amount)
    if question.type == T.DATE:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError as exc:
            raise ValidationError("Enter a real date") from exc
    if question.type == T.YES_NO:
        if text not in ("yes", "no"):
            raise ValidationError("Select yes or no")
        return text == "yes"
    if question.type == T.SINGLE_CHOICE:
        if text not in question.choices:
            raise ValidationError("Select an option from the list")
        return text
    return None  # file uploads are stored as EvidenceFile rows


def _words(value) -> str:
    """Any stored value as plain words: the fallback when it no longer fits its question."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def display_answer(question: Question, value) -> str:
    """An answer as words, for check-your-answers pages and exports.

    A stored value can predate a change to its question (a draft answered before the type
    changed), so a value that does not fit the question's type is shown as it was typed,
    never refused with an error.
    """
    if is_blank(value):
        return ""
    try:
        if question.type == T.MONEY and not isinstance(value, bool | list | dict):
            return pounds(Decimal(str(value)))
        if question.type == T.YES_NO and isinstance(value, bool):
            return "Yes" if value else "No"
        if question.type == T.DATE and isinstance(value, str):
            return f"{date.fromisoformat(value):%-d %B %Y}"
    except (InvalidOperation, ValueError, TypeError):
        pass
    return _words(value)


def raw_for_form(question: Question, value):
    """A stored value as a form field's initial text (a list for multiple choice), whatever
    type it was stored under, so the council sees what it typed and can correct it."""
    if question.type == T.MULTIPLE_CHOICE:
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list) else [_words(value)]
    if value is None:
        return ""
    if question.type == T.YES_NO and isinstance(value, bool):
        return "yes" if value else "no"
    return _words(value)


# Conditional questions: the one reading of "does this question apply to this bid?".
CONDITION_TYPES = (T.YES_NO, T.SINGLE_CHOICE, T.MULTIPLE_CHOICE)


def condition_met(values: list, answer) -> bool:
    """Whether a stored answer to the controlling question is one of `values` (yes/no as
    "yes"/"no"; multiple choice when it includes any of them). A blank answer shows nothing."""
    if is_blank(answer):
        return False
    if isinstance(answer, bool):
        answer = "yes" if answer else "no"
    chosen = {str(v) for v in answer} if isinstance(answer, list) else {str(answer)}
    return bool(chosen & {str(v) for v in values})


def shown_question_ids(questions, answers: dict) -> set[int]:
    """The questions that apply, given `answers` (question id -> stored value).

    `questions` are in the round's order (section order, then question order). A question with
    a condition applies when its controlling question applies and its answer matches, so a
    chain hides together; the builder only lets a question depend on an earlier one.
    """
    shown: set[int] = set()
    for q in questions:
        parent = q.show_if_question_id
        if parent is None or (parent in shown and condition_met(q.show_if_values, answers.get(parent))):
            shown.add(q.pk)
    return shown
