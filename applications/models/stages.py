"""Stages of a bid."""

from django.db import models


class BidStage(models.TextChoices):
    """A bid in a two-stage round starts as an expression of interest; an invitation turns the same
    bid (its answers, partners and reference) into a full-bid draft."""

    EOI = "eoi", "Expression of interest"
    FULL = "full", "Full bid"
