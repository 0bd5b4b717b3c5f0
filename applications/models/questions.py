"""A round's form: sections of questions, and a bid's answers to them.

Answers point at the question's primary key, never its position, so reordering a round's
questions cannot move or lose an answer.
"""

from django.db import models

from .stages import BidStage


class QuestionType(models.TextChoices):
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    WHOLE_NUMBER = "whole_number", "Whole number"
    MONEY = "money", "Money (pounds)"
    DATE = "date", "Date"
    YES_NO = "yes_no", "Yes or no"
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    FILE_UPLOAD = "file_upload", "File upload"


CHOICE_TYPES = (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE)


class Section(models.Model):
    round = models.ForeignKey("grants.Round", on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    # Two-stage rounds: the expression of interest asks the EOI sections; the full bid all of them.
    stage = models.CharField(max_length=10, choices=BidStage.choices, default=BidStage.FULL)

    class Meta:
        ordering = ["round", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField("question", max_length=300)
    hint = models.TextField(blank=True)
    type = models.CharField(max_length=20, choices=QuestionType.choices)
    required = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)
    word_limit = models.PositiveIntegerField(null=True, blank=True, help_text="Long text only; empty for none")
    choices = models.JSONField(default=list, blank=True, help_text="Single and multiple choice: the options")
    # Conditional questions: shown only when an earlier yes/no or choice question's answer is one of
    # `show_if_values` (multiple choice: includes one of them). Yes/no values are "yes" and "no".
    show_if_question = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="dependants"
    )
    show_if_values = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["section__order", "section_id", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def round_id(self) -> int:
        return self.section.round_id


class Answer(models.Model):
    """One bid's answer to one question. `value` holds JSON: str, int, "123.45" for money,
    "YYYY-MM-DD" for dates, bool, or a list of strings for multiple choice. File answers
    live in EvidenceFile rows (value holds nothing)."""

    bid = models.ForeignKey("applications.Bid", on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bid", "question"], name="answer_one_per_question")]

    def __str__(self) -> str:
        return f"{self.bid_id}/{self.question_id}"
