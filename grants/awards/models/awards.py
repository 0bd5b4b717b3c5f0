"""Awards: the grant a council receives, paid in tranches against milestones.

Every status (awards, milestones, tranches, variations) changes through
`grants.core.transitions.transition`, which applies the model's `TRANSITIONS` table: the one
place that says what may follow what.
Monitoring returns and outputs live in `award_monitoring.py`.
"""

from decimal import Decimal

from django.db import models
from django.urls import reverse

from grants.core.money import money, pounds
from grants.core.updated import SavesUpdatedAt

from .forecasts import OutputForecast
from .monitoring import (
    AwardEvidenceFile,
    MonitoringReturn,
    OutputKind,
    OutputTarget,
    OutputUnit,
    OutputValue,
    Rag,
    ReturnPeriod,
    ReturnStatus,
    RoundOutput,
)

__all__ = [
    "Award",
    "AwardEvidenceFile",
    "AwardStatus",
    "FundReturn",
    "Milestone",
    "MilestoneStatus",
    "MonitoringReturn",
    "OutputForecast",
    "OutputKind",
    "OutputTarget",
    "OutputUnit",
    "OutputValue",
    "PaymentTranche",
    "Rag",
    "ReturnPeriod",
    "ReturnStatus",
    "RoundOutput",
    "TrancheStatus",
    "Variation",
    "VariationKind",
    "VariationStatus",
]


class AwardStatus(models.TextChoices):
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    TERMINATED = "terminated", "Terminated"


A = AwardStatus
AWARD_STATUS_TAG = {
    A.OFFERED: "govuk-tag--blue",
    A.ACCEPTED: "govuk-tag--turquoise",
    A.DECLINED: "govuk-tag--grey",
    A.ACTIVE: "govuk-tag--green",
    A.COMPLETED: "govuk-tag--grey",
    A.WITHDRAWN: "govuk-tag--grey",
    A.TERMINATED: "govuk-tag--red",
}


class Award(SavesUpdatedAt, models.Model):
    # Offered: the council accepts or declines, or the funder withdraws the offer.
    # Accepted becomes active with the first payment (or by the programme manager).
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        A.OFFERED: (A.ACCEPTED, A.DECLINED, A.WITHDRAWN),
        A.ACCEPTED: (A.ACTIVE, A.WITHDRAWN, A.TERMINATED),
        A.ACTIVE: (A.COMPLETED, A.TERMINATED),
        A.DECLINED: (),
        A.COMPLETED: (),
        A.WITHDRAWN: (),
        A.TERMINATED: (),
    }
    LIVE = (A.ACCEPTED, A.ACTIVE)

    reference = models.CharField(max_length=30, unique=True)
    round = models.ForeignKey("grants.Round", on_delete=models.PROTECT, related_name="awards")
    bid = models.OneToOneField(
        "applications.Bid", null=True, blank=True, on_delete=models.PROTECT, related_name="award"
    )
    lead = models.ForeignKey("grants.Organisation", on_delete=models.PROTECT, related_name="awards_led")
    partners = models.ManyToManyField("grants.Organisation", blank=True, related_name="awards_partnered")
    # An award to a standing partnership: its lead is the partnership's lead and its partners the
    # members on the award date, kept so by grants.awards.services.partnerships (the one writer).
    partnership = models.ForeignKey(
        "grants.Partnership", null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    title = models.CharField(max_length=200)
    scope = models.TextField(blank=True, help_text="What the project will do; a variation may change it")
    amount = models.DecimalField(**money)
    # What the council (and its partners) put in alongside the grant, as the offer states it;
    # a round may require it (Round.match_funding_percent). Not part of the grant: it is never paid.
    match_funding = models.DecimalField(
        default=Decimal("0.00"), help_text="The council's own contribution to the project, in pounds", **money
    )
    conditions = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=AwardStatus.choices, default=A.OFFERED, db_index=True)
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    award_date = models.DateField()
    respond_by = models.DateField(null=True, blank=True, help_text="The date the council should accept by")
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    accepted_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_name = models.CharField("name of signatory", max_length=150, blank=True)
    accepted_role = models.CharField("job title of signatory", max_length=150, blank=True)
    # What the signatory accepted, as it stood then (amount, conditions, tranches, milestones,
    # return schedule): later re-planning must not rewrite the letter they signed.
    accepted_terms = models.JSONField(null=True, blank=True, editable=False)
    closure_report = models.TextField("end-of-project report", blank=True)
    closure_report_count = models.PositiveSmallIntegerField(default=0, help_text="Times the report was sent")
    case_study = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_historic = models.BooleanField(default=False, help_text="Entered directly, not from a bid")
    created_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "grants_award"  # kept from when it lived in the grants app
        ordering = ["-award_date", "reference"]
        indexes = [models.Index(fields=["round", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="award_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.lead}"

    def get_absolute_url(self) -> str:
        return reverse("awards:detail", args=[self.pk])

    @property
    def status_tag_class(self) -> str:
        return AWARD_STATUS_TAG.get(self.status, "govuk-tag--grey")


class TrancheStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    PAID = "paid", "Paid"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    MISSED = "missed", "Missed"


MILESTONE_TAG = {
    MilestoneStatus.NOT_STARTED: "govuk-tag--grey",
    MilestoneStatus.IN_PROGRESS: "govuk-tag--blue",
    MilestoneStatus.COMPLETE: "govuk-tag--green",
    MilestoneStatus.MISSED: "govuk-tag--red",
}


class Milestone(models.Model):
    # The lead council reports progress either way (and updates the evidence) until the
    # programme manager confirms it complete: a confirmed milestone has a row of its own, final.
    CONFIRMED = "confirmed"
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        **{status: tuple(MilestoneStatus) for status in MilestoneStatus},
        CONFIRMED: (),
    }

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="milestones")
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.NOT_STARTED)
    # The files behind it are AwardEvidenceFile rows (award_monitoring.py).
    evidence = models.TextField(blank=True, help_text="What shows the progress, for example a link or a summary")
    updated_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status_updated_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "grants_milestone"  # kept from when it lived in the grants app
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["due_on", "status"])]

    def __str__(self) -> str:
        return self.description

    @property
    def status_tag_class(self) -> str:
        return MILESTONE_TAG.get(self.status, "govuk-tag--grey")

    @property
    def transition_state(self) -> str:
        """Which row of TRANSITIONS applies: once confirmed, the confirmed one."""
        return self.CONFIRMED if self.confirmed_at else self.status

    @property
    def is_done(self) -> bool:
        return self.status == MilestoneStatus.COMPLETE and self.confirmed_at is not None


class PaymentTranche(SavesUpdatedAt, models.Model):
    """A slice of the award, paid on a date or once a milestone is confirmed."""

    # Re-planning deletes and recreates planned tranches; a paid one never changes.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        TrancheStatus.PLANNED: (TrancheStatus.PAID,),
        TrancheStatus.PAID: (),
    }

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField()
    amount = models.DecimalField(**money)
    due_on = models.DateField(null=True, blank=True)
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="tranches")
    status = models.CharField(max_length=20, choices=TrancheStatus.choices, default=TrancheStatus.PLANNED)
    # The finance officer who approved and recorded the payment, after re-confirming their second factor.
    approved_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    payment_reference = models.CharField(max_length=60, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # issue 18: the API's `updated_since`

    class Meta:
        db_table = "grants_paymenttranche"  # kept from when it lived in the grants app
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="tranche_number_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="tranche_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"Tranche {self.number}"

    @property
    def status_tag_class(self) -> str:
        return "govuk-tag--green" if self.status == TrancheStatus.PAID else "govuk-tag--grey"


class VariationKind(models.TextChoices):
    DATES = "dates", "Change dates"
    AMOUNT = "amount", "Change the amount"
    SCOPE = "scope", "Change the scope"
    # Asked for from the output's forecast page (it names the output), not the general form.
    REBASELINE = "rebaseline", "Change an output's baseline"


class VariationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class Variation(models.Model):
    """A council's request to change the award. Kept whatever the decision: the award's history."""

    # Decided once; a request still waiting when the award ends is refused.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        VariationStatus.PENDING: (VariationStatus.APPROVED, VariationStatus.REFUSED),
        VariationStatus.APPROVED: (),
        VariationStatus.REFUSED: (),
    }

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="variations")
    kind = models.CharField(max_length=20, choices=VariationKind.choices)
    reason = models.TextField()
    new_planned_start = models.DateField(null=True, blank=True)
    new_planned_end = models.DateField(null=True, blank=True)
    new_amount = models.DecimalField(null=True, blank=True, **money)
    new_scope = models.TextField(blank=True)
    output_target = models.ForeignKey(
        "awards.OutputTarget", null=True, blank=True, on_delete=models.CASCADE, related_name="variations"
    )
    new_baseline = models.DecimalField(null=True, blank=True, **money)
    previous = models.JSONField(default=dict, blank=True, help_text="The values before an approved change")
    status = models.CharField(max_length=20, choices=VariationStatus.choices, default=VariationStatus.PENDING)
    requested_by = models.ForeignKey("grants.User", null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        db_table = "grants_variation"  # kept from when it lived in the grants app
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def status_tag_class(self) -> str:
        return {"approved": "govuk-tag--green", "refused": "govuk-tag--red"}.get(self.status, "govuk-tag--yellow")


class FundReturn(models.Model):
    """Money back to the funder: returned by the council or clawed back. Totals net it off."""

    class Kind(models.TextChoices):
        RETURNED = "returned", "Returned by the council"
        CLAWBACK = "clawback", "Clawed back by the funder"

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="fund_returns")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RETURNED)
    amount = models.DecimalField(**money)
    returned_on = models.DateField()
    reason = models.TextField()
    recorded_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "grants_fundreturn"  # kept from when it lived in the grants app
        ordering = ["returned_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="fundreturn_amount_positive")]

    def __str__(self) -> str:
        return f"{pounds(self.amount)} on {self.returned_on}"
