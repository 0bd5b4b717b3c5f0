"""A two-stage round's short scoring of expressions of interest: a few criteria on a small scale
(0 to a maximum of 1 to 5), scored by the programme's managers beside the invite or decline they
propose. Separate from `Criterion`, which is the full bid's weighted assessment by the panel: an
EOI score only helps staff sort a long list, is never weighted and never reaches a council."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

EOI_MAX_SCORE = 5


class EoiCriterion(models.Model):
    round = models.ForeignKey("grants.Round", on_delete=models.CASCADE, related_name="eoi_criteria")
    name = models.CharField(max_length=150)
    guidance = models.TextField(blank=True, help_text="What to look for in the expression of interest")
    max_score = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(EOI_MAX_SCORE)],
        help_text=f"Scores run from 0 to this number, at most {EOI_MAX_SCORE}. For example 3",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Criteria are shown lowest number first")

    class Meta:
        ordering = ["round_id", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="eoi_criterion_unique_name_in_round")]

    def __str__(self) -> str:
        return self.name

    @property
    def score_range(self) -> range:
        return range(0, self.max_score + 1)


class EoiScore(models.Model):
    """One criterion's score on one proposal. Kept with the proposal: re-proposing changes it."""

    triage = models.ForeignKey("scoring.EoiTriage", on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(EoiCriterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(EOI_MAX_SCORE)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["triage", "criterion"], name="eoi_score_one_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"
