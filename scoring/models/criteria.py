"""A round's assessment criteria: weighted, on a fixed scale, with a descriptor per score."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Scale(models.TextChoices):
    ZERO_FOUR = "0-4", "0 to 4"
    ONE_FIVE = "1-5", "1 to 5"
    ZERO_THREE = "0-3", "0 to 3"
    GATEWAY = "pass_fail", "Pass or fail (gateway)"


SCALE_RANGE = {Scale.ZERO_FOUR: (0, 4), Scale.ONE_FIVE: (1, 5), Scale.ZERO_THREE: (0, 3), Scale.GATEWAY: (0, 1)}
GATEWAY_LABELS = {0: "Fail", 1: "Pass"}


class Criterion(models.Model):
    round = models.ForeignKey("grants.Round", on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=150)
    guidance = models.TextField(blank=True, help_text="What assessors should look for")
    weight = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="How much this criterion counts, for example 30. Gateway criteria are not weighted",
    )
    scale = models.CharField(max_length=10, choices=Scale.choices, default=Scale.ZERO_FOUR)
    descriptors = models.JSONField(default=dict, blank=True, help_text="What each score means: {'0': '...', ...}")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round_id", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="criterion_unique_name_in_round")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_gateway(self) -> bool:
        return self.scale == Scale.GATEWAY

    @property
    def min_score(self) -> int:
        return SCALE_RANGE[self.scale][0]

    @property
    def max_score(self) -> int:
        return SCALE_RANGE[self.scale][1]

    @property
    def score_range(self) -> list[int]:
        return list(range(self.min_score, self.max_score + 1))

    def label_for(self, score: int | None) -> str:
        if score is None:
            return ""
        if self.is_gateway:
            return GATEWAY_LABELS.get(score, str(score))
        return str(score)

    def descriptor_for(self, score: int) -> str:
        return (self.descriptors or {}).get(str(score), "")
