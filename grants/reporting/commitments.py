"""A programme's commitments and deliverables (issue 17, item 5): what it promised the funder.

A commitment ("at least 25 councils", "land for 3,000 homes") has a target in a unit and a
measure: how progress is computed from live data (a key of `commitment_measures.MEASURES`), or
"entered by hand", when the value, the date it was true and who entered it are kept.

A deliverable is one line of a year's Memorandum of Understanding ("60 deliverables: 56 Green,
4 Amber, 0 Red"). Its manager sets its RAG with a reason, and every setting is kept
(`DeliverableRagChange`), beside the RAG computed from the returns of the round it may name.
"""

from django.db import models

MANUAL = "manual"


class CommitmentUnit(models.TextChoices):
    COUNT = "count", "Number"
    COUNCILS = "councils", "Councils"
    HOMES = "homes", "Homes"
    POUNDS = "pounds", "Pounds"
    PERCENT = "percent", "Per cent"


class Commitment(models.Model):
    """A target the programme (or one financial year of it) promised to reach."""

    programme = models.ForeignKey("grants.Programme", on_delete=models.CASCADE, related_name="commitments")
    financial_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year the financial year starts; empty for the whole programme"
    )
    text = models.CharField(max_length=300, help_text="As the funder reads it, for example 'At least 25 councils'")
    target = models.DecimalField(max_digits=16, decimal_places=2)
    unit = models.CharField(max_length=10, choices=CommitmentUnit.choices)
    measure = models.CharField(max_length=40, default=MANUAL, help_text="How progress is computed")
    manual_value = models.DecimalField(null=True, blank=True, max_digits=16, decimal_places=2)
    manual_as_at = models.DateField(null=True, blank=True, help_text="When the value entered by hand was true")
    manual_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme_id", models.F("financial_year").asc(nulls_first=True), "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_manual(self) -> bool:
        return self.measure == MANUAL

    @property
    def year_label(self) -> str:
        y = self.financial_year
        return f"{y}/{(y + 1) % 100:02d}" if y else "Whole programme"


class Deliverable(models.Model):
    """One deliverable of a programme year, with the RAG its manager last set."""

    programme = models.ForeignKey("grants.Programme", on_delete=models.CASCADE, related_name="deliverables")
    financial_year = models.PositiveSmallIntegerField(help_text="The year the financial year starts")
    number = models.PositiveSmallIntegerField(help_text="Its number in the year's list")
    title = models.CharField(max_length=300)
    round = models.ForeignKey(
        "grants.Round", null=True, blank=True, on_delete=models.SET_NULL, related_name="deliverables"
    )
    rag = models.CharField(max_length=5, blank=True, help_text="Set by the manager; empty until set")
    reason = models.TextField(blank=True, max_length=1000)
    rag_set_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rag_set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["programme_id", "financial_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "financial_year", "number"], name="deliverable_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def year_label(self) -> str:
        y = self.financial_year
        return f"{y}/{(y + 1) % 100:02d}"


class DeliverableRagChange(models.Model):
    """Every RAG a manager set on a deliverable, with why: the history the board may ask about."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="rag_changes")
    rag = models.CharField(max_length=5)
    reason = models.TextField(max_length=1000)
    set_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["-set_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.rag} at {self.set_at:%Y-%m-%d %H:%M}"


__all__ = ["MANUAL", "Commitment", "CommitmentUnit", "Deliverable", "DeliverableRagChange"]
