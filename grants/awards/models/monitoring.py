"""Monitoring: a round's schedule of returns and outputs, and each award's returns.

A round chooses its outputs from a catalogue (money in pounds, counts or percentages), each award
gets a target per output (with its baseline, latest forecast and tolerance: forecasts.py), and
every return reports a RAG status and the period's output values.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from grants.core.money import money
from grants.core.updated import SavesUpdatedAt
from grants.core.uploads import StoredFile, random_key


class OutputUnit(models.TextChoices):
    POUNDS = "pounds", "Pounds"
    COUNT = "count", "Count"
    # An outcome such as "a 61 per cent increase": the latest reported value is the figure, never
    # a sum of returns (grants.awards.outputs.to_date).
    PERCENT = "percent", "Per cent"


class OutputKind(models.TextChoices):
    SAVINGS = "savings", "Savings"
    INCOME = "income", "Income generated"
    COST_AVOIDANCE = "cost_avoidance", "Cost avoidance"
    CAPITAL_RECEIPTS = "capital_receipts", "Capital receipts"
    RUNNING_COST_SAVINGS = "running_cost_savings", "Running-cost savings"
    JOBS_CREATED = "jobs_created", "Jobs created"
    HOMES = "homes", "Homes (land released for)"
    PEOPLE_REACHED = "people_reached", "People reached"
    PROJECTS_LIVE = "projects_live", "Projects live"
    TAKE_UP_INCREASE = "take_up_increase", "Increase in take-up"
    CUSTOM = "custom", "Custom"


OUTPUT_UNITS = {
    OutputKind.SAVINGS: OutputUnit.POUNDS,
    OutputKind.INCOME: OutputUnit.POUNDS,
    OutputKind.COST_AVOIDANCE: OutputUnit.POUNDS,
    OutputKind.CAPITAL_RECEIPTS: OutputUnit.POUNDS,
    OutputKind.RUNNING_COST_SAVINGS: OutputUnit.POUNDS,
    OutputKind.JOBS_CREATED: OutputUnit.COUNT,
    OutputKind.HOMES: OutputUnit.COUNT,
    OutputKind.PEOPLE_REACHED: OutputUnit.COUNT,
    OutputKind.PROJECTS_LIVE: OutputUnit.COUNT,
    OutputKind.TAKE_UP_INCREASE: OutputUnit.PERCENT,
}
DEFAULT_TOLERANCE = Decimal("5")  # per cent of the baseline, unless the round output says otherwise


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


# The board's definitions, shown on the return form.
RAG_DEFINITIONS = {
    Rag.GREEN: "Completed, or due to be completed within the reporting period or at year end (on track).",
    Rag.AMBER: "Not completed; appropriate mitigation is in place to complete within the agreed timescale.",
    Rag.RED: "Not completed.",
}
RAG_TAG = {Rag.GREEN: "govuk-tag--green", Rag.AMBER: "govuk-tag--orange", Rag.RED: "govuk-tag--red"}


class RoundOutput(models.Model):
    """One output a round's awards report on, chosen from the catalogue."""

    round = models.ForeignKey("grants.Round", on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(max_length=30, choices=OutputKind.choices)
    label = models.CharField(max_length=120, blank=True, help_text="Needed for a custom output")
    unit = models.CharField(max_length=10, choices=OutputUnit.choices)
    order = models.PositiveSmallIntegerField(default=0)
    tolerance = models.DecimalField(
        "tolerance (per cent of the baseline)",
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_TOLERANCE,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="How far a forecast may move from the baseline and still be within tolerance",
    )

    class Meta:
        db_table = "grants_roundoutput"  # kept from when it lived in the grants app
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "kind", "label"], name="roundoutput_unique")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.unit:
            self.unit = OUTPUT_UNITS.get(self.kind, OutputUnit.COUNT)
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return self.label or self.get_kind_display()


class ReturnPeriod(models.Model):
    """One return in a round's schedule, for example 'Quarter 1 2019/20', due on a date."""

    round = models.ForeignKey("grants.Round", on_delete=models.CASCADE, related_name="return_periods")
    title = models.CharField(max_length=100)
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()

    class Meta:
        db_table = "grants_returnperiod"  # kept from when it lived in the grants app
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "title"], name="returnperiod_title_unique"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="returnperiod_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def sendable_from(self) -> date:
        """A return reports on a period that is over, so it can be sent from the day after the
        period ends (a draft can be saved before). The one definition: the service refuses an
        earlier send and the return page says the date."""
        return self.period_end + timedelta(days=1)


class ReturnStatus(models.TextChoices):
    DUE = "due", "Not submitted"
    # Issue 17: sent by the officer, waiting for the council's certifier (s151 officer or
    # delegate). Not with the funder: nothing that counts reported returns counts it.
    TO_CERTIFY = "to_certify", "Awaiting certification"
    SUBMITTED = "submitted", "Submitted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"


RETURN_STATUS_TAG = {
    ReturnStatus.DUE: "govuk-tag--grey",
    ReturnStatus.TO_CERTIFY: "govuk-tag--purple",
    ReturnStatus.SUBMITTED: "govuk-tag--blue",
    ReturnStatus.CHANGES_REQUESTED: "govuk-tag--orange",
    ReturnStatus.APPROVED: "govuk-tag--green",
}


class MonitoringReturn(SavesUpdatedAt, models.Model):
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        ReturnStatus.DUE: (ReturnStatus.SUBMITTED, ReturnStatus.TO_CERTIFY),
        # Certified: with the funder. Sent back: to the officer, as it was before it was sent.
        ReturnStatus.TO_CERTIFY: (ReturnStatus.SUBMITTED, ReturnStatus.DUE, ReturnStatus.CHANGES_REQUESTED),
        ReturnStatus.SUBMITTED: (ReturnStatus.APPROVED, ReturnStatus.CHANGES_REQUESTED),
        ReturnStatus.CHANGES_REQUESTED: (ReturnStatus.SUBMITTED, ReturnStatus.TO_CERTIFY),
        ReturnStatus.APPROVED: (),
    }
    OPEN = (ReturnStatus.DUE, ReturnStatus.CHANGES_REQUESTED)  # the council officer's to do
    # Not received by the funder (issue 17): open, or waiting for the council's certifier. Overdue
    # counts use this: a return the certifier has not certified by its due date is late.
    NOT_RECEIVED = (*OPEN, ReturnStatus.TO_CERTIFY)

    award = models.ForeignKey("awards.Award", on_delete=models.CASCADE, related_name="returns")
    period = models.ForeignKey(ReturnPeriod, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DUE)
    rag = models.CharField("RAG status", max_length=10, choices=Rag.choices, blank=True)
    commentary = models.TextField(blank=True)
    evidence = models.TextField(blank=True, help_text="Links or a summary of the evidence for this period")
    submitted_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submission_count = models.PositiveSmallIntegerField(default=0)
    reviewed_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(blank=True, help_text="Why changes were requested")
    # Issue 17, spend in the period (pounds). Empty on returns sent before spend was asked for.
    spend_capital = models.DecimalField("capital spent this period", null=True, blank=True, **money)
    spend_revenue = models.DecimalField("revenue spent this period", null=True, blank=True, **money)
    match_spent = models.DecimalField("match funding spent this period", null=True, blank=True, **money)
    forecast_capital = models.DecimalField("forecast capital spend at completion", null=True, blank=True, **money)
    forecast_revenue = models.DecimalField("forecast revenue spend at completion", null=True, blank=True, **money)
    # Issue 17, certification: what the certifier saw and confirmed, frozen (SPEND_FIELDS, values,
    # commentary, evidence), and why a certifier sent it back to the officer.
    certified_by = models.ForeignKey("grants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    certified_at = models.DateTimeField(null=True, blank=True)
    certified_snapshot = models.JSONField(default=dict, blank=True)
    certification_reason = models.TextField(blank=True, help_text="Why the certifier sent it back")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # issue 18: the API's `updated_since`

    class Meta:
        db_table = "grants_monitoringreturn"  # kept from when it lived in the grants app
        ordering = ["period__due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["award", "period"], name="return_one_per_period")]
        indexes = [models.Index(fields=["award", "status"])]

    def __str__(self) -> str:
        return f"{self.award.reference}: {self.period}"

    @property
    def status_tag_class(self) -> str:
        return RETURN_STATUS_TAG.get(self.status, "govuk-tag--grey")

    @property
    def rag_tag_class(self) -> str:
        return RAG_TAG.get(self.rag, "govuk-tag--grey")

    @property
    def spend_total(self):
        """Grant spent this period, capital and revenue together (None when neither is reported)."""
        if self.spend_capital is None and self.spend_revenue is None:
            return None
        return (self.spend_capital or 0) + (self.spend_revenue or 0)

    @property
    def forecast_total(self):
        if self.forecast_capital is None and self.forecast_revenue is None:
            return None
        return (self.forecast_capital or 0) + (self.forecast_revenue or 0)


SPEND_FIELDS = ("spend_capital", "spend_revenue", "match_spent", "forecast_capital", "forecast_revenue")


class OutputTarget(models.Model):
    """An award's target for one output, with the inception baseline (what was expected at the
    start: the target unless given; changed only by an approved variation), the latest forecast of
    the final figure and, when it differs from the round output's, its own tolerance. The history
    of both is in OutputForecast; these two columns are its latest rows, kept by the services."""

    award = models.ForeignKey("awards.Award", on_delete=models.CASCADE, related_name="output_targets")
    output = models.ForeignKey(RoundOutput, on_delete=models.CASCADE, related_name="targets")
    target = models.DecimalField(**money)
    baseline = models.DecimalField(null=True, blank=True, **money)
    forecast = models.DecimalField(null=True, blank=True, **money)
    tolerance = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Per cent of the baseline; empty to use the round output's",
    )

    class Meta:
        db_table = "grants_outputtarget"  # kept from when it lived in the grants app
        constraints = [models.UniqueConstraint(fields=["award", "output"], name="outputtarget_unique")]

    def __str__(self) -> str:
        return f"{self.output}: {self.target}"

    def save(self, *args, **kwargs):
        # A target written without a baseline (historic demo rows, factories) starts as its own.
        if self.baseline is None:
            self.baseline = self.target
        if self.forecast is None:
            self.forecast = self.baseline
        super().save(*args, **kwargs)


class OutputValue(models.Model):
    """What a return reports for one output in its period."""

    monitoring_return = models.ForeignKey(MonitoringReturn, on_delete=models.CASCADE, related_name="values")
    output = models.ForeignKey(RoundOutput, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(**money)

    class Meta:
        db_table = "grants_outputvalue"  # kept from when it lived in the grants app
        constraints = [models.UniqueConstraint(fields=["monitoring_return", "output"], name="outputvalue_unique")]

    def __str__(self) -> str:
        return f"{self.output}: {self.value}"


def award_evidence_upload_to(instance: "AwardEvidenceFile", filename: str) -> str:
    return random_key(f"private/award-evidence/award-{instance.award_id}", filename)


class AwardEvidenceFile(StoredFile):
    """A file backing a milestone update or a monitoring return. Stored through Django's default
    storage (local or S3), never public: only a view that checks permission serves it."""

    SCAN_REFUSED_ACTION = "evidence.refused"

    award = models.ForeignKey("awards.Award", on_delete=models.CASCADE, related_name="evidence_files")
    milestone = models.ForeignKey(
        "awards.Milestone", null=True, blank=True, on_delete=models.CASCADE, related_name="evidence_files"
    )
    monitoring_return = models.ForeignKey(
        MonitoringReturn, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence_files"
    )
    file = models.FileField(upload_to=award_evidence_upload_to, max_length=255)

    class Meta:
        db_table = "grants_awardevidencefile"  # kept from when it lived in the grants app
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(milestone__isnull=True, monitoring_return__isnull=False)
                | models.Q(milestone__isnull=False, monitoring_return__isnull=True),
                name="awardevidence_one_parent",
            )
        ]

    def scan_audit_target(self):
        return self.award
