"""An assessor's assessment of one bid, and its scores.

Score rows are written only on submission and never changed: each submission adds a version
and the latest submitted version counts. The working draft lives in `Assessment.draft`.
"""

from django.db import models


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    SUBMITTED = "submitted", "Submitted"


class Assessment(models.Model):
    # Submitted when every criterion is scored; submitting again adds a version (the latest counts).
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        AssessmentStatus.DRAFT: (AssessmentStatus.SUBMITTED,),
        AssessmentStatus.SUBMITTED: (AssessmentStatus.SUBMITTED,),
    }

    assignment = models.OneToOneField("scoring.Assignment", on_delete=models.CASCADE, related_name="assessment")
    bid = models.ForeignKey("applications.Bid", on_delete=models.CASCADE, related_name="assessments")
    status = models.CharField(max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    draft = models.JSONField(default=dict, blank=True, help_text="{criterion id: {score, justification}}")
    submitted_version = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    percentage = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, help_text="Weighted total of the latest submission"
    )
    gateway_failed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["bid", "status"])]

    def __str__(self) -> str:
        return f"Assessment of {self.bid_id} by assignment {self.assignment_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_version > 0


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("scoring.Criterion", on_delete=models.PROTECT, related_name="scores")
    version = models.PositiveIntegerField()
    score = models.SmallIntegerField()
    justification = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "criterion__order", "criterion_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion", "version"], name="score_one_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score} (v{self.version})"

    @property
    def label(self) -> str:
        """Pass or Fail for a gateway criterion, else the number (reads the criterion: select it)."""
        return self.criterion.label_for(self.score)
