"""Benefits after closure (issue 17): what a completed project goes on saving, earning and
avoiding in costs, year by year, against what it was projected to.

A round asks for `Round.benefits_years` annual benefits returns after each award completes; the
schedule is generated once, at completion (services.benefits.benefits_schedule_create). Returns
move through the same statuses, and the same table, as monitoring returns.
"""

from datetime import date, timedelta

from django.db import models

from grants.core.money import money

from .monitoring import RETURN_STATUS_TAG, MonitoringReturn, ReturnStatus

# The three kinds of benefit, as field names on both models, with the words people read.
BENEFIT_KINDS = ("savings", "income", "costs_avoided")
BENEFIT_LABELS = {"savings": "Savings", "income": "Income generated", "costs_avoided": "Costs avoided"}


class BenefitsProjection(models.Model):
    """The award's projected benefits, per kind, as totals over all the round's benefit years.
    The programme manager sets it (from the business case or the end-of-project report)."""

    award = models.OneToOneField("awards.Award", on_delete=models.CASCADE, related_name="benefits_projection")
    savings = models.DecimalField(default=0, **money)
    income = models.DecimalField(default=0, **money)
    costs_avoided = models.DecimalField(default=0, **money)
    set_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Projected benefits of {self.award_id}"


class BenefitsReturn(models.Model):
    """One year's benefits after the project completed, sent by the lead council."""

    TRANSITIONS = MonitoringReturn.TRANSITIONS
    OPEN = MonitoringReturn.OPEN

    award = models.ForeignKey("awards.Award", on_delete=models.CASCADE, related_name="benefits_returns")
    year = models.PositiveSmallIntegerField(help_text="1 for the first year after completion")
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    savings = models.DecimalField(null=True, blank=True, **money)
    income = models.DecimalField(null=True, blank=True, **money)
    costs_avoided = models.DecimalField(null=True, blank=True, **money)
    commentary = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DUE)
    submitted_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submission_count = models.PositiveSmallIntegerField(default=0)
    reviewed_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(blank=True, help_text="Why changes were requested")

    class Meta:
        ordering = ["award_id", "year"]
        constraints = [
            # Generation may run twice (a retried task, two clicks): the database keeps one per year.
            models.UniqueConstraint(fields=["award", "year"], name="benefitsreturn_one_per_year"),
            models.CheckConstraint(condition=models.Q(year__gte=1), name="benefitsreturn_year_positive"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="benefitsreturn_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.award_id})"

    @property
    def title(self) -> str:
        return f"Benefits year {self.year}"

    @property
    def sendable_from(self) -> date:
        """Like `ReturnPeriod.sendable_from`: a year's benefits are reported once the year is over."""
        return self.period_end + timedelta(days=1)

    @property
    def status_tag_class(self) -> str:
        return RETURN_STATUS_TAG.get(self.status, "govuk-tag--grey")

    def total(self):
        return sum((getattr(self, k) or 0) for k in BENEFIT_KINDS)
