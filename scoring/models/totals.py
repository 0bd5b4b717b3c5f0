"""Each bid's score totals, kept up to date as scores are saved, so the ranking reads one row per
bid instead of aggregating every score row of the round on each read (issue 19: 48,000 score
rows at 2,000 bids). Only `services.totals.bid_totals_refresh` writes them, from the rule in
`scoring.totals`; a bid nobody has scored may have no row."""

from django.db import models


class BidTotals(models.Model):
    bid = models.OneToOneField("applications.Bid", on_delete=models.CASCADE, primary_key=True, related_name="totals")
    n_assessed = models.PositiveSmallIntegerField(default=0, help_text="Submitted assessments that count")
    # Four places, as the ranking orders by them: two are shown, but ties are broken finer.
    mean_pct = models.DecimalField(max_digits=8, decimal_places=4, null=True, blank=True)
    final_pct = models.DecimalField(max_digits=8, decimal_places=4, null=True, blank=True)
    min_pct = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    max_pct = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    spread = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    gateway_failed = models.BooleanField(default=False)
    has_moderation = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "bid totals"

    def __str__(self) -> str:
        return f"Totals of {self.bid_id}: {self.final_pct}"
