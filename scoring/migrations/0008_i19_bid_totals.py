"""Issue 19: each bid's score totals, stored so the ranking reads a row per bid. Filled here for
every bid with an assessment or a moderated score, by the same rule the services keep them
with (`scoring.totals.totals_for`, given this migration's historical models)."""

import django.db.models.deletion
from django.db import migrations, models

CHUNK = 500


def fill(apps, schema_editor):
    from scoring.totals import as_row, totals_for

    Assessment = apps.get_model("scoring", "Assessment")
    ModeratedScore = apps.get_model("scoring", "ModeratedScore")
    BidTotals = apps.get_model("scoring", "BidTotals")
    bids = set(Assessment.objects.values_list("bid_id", flat=True))
    bids |= set(ModeratedScore.objects.values_list("bid_id", flat=True))
    ids = sorted(bids)
    for start in range(0, len(ids), CHUNK):
        found = totals_for(ids[start : start + CHUNK], apps=apps)
        BidTotals.objects.bulk_create([BidTotals(bid_id=pk, **as_row(t)) for pk, t in found.items()])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0007_other_partners"),
        ("scoring", "0007_r3_eoi_triage_no_round"),
    ]

    operations = [
        migrations.CreateModel(
            name="BidTotals",
            fields=[
                (
                    "bid",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="totals",
                        serialize=False,
                        to="applications.bid",
                    ),
                ),
                (
                    "n_assessed",
                    models.PositiveSmallIntegerField(default=0, help_text="Submitted assessments that count"),
                ),
                ("mean_pct", models.DecimalField(blank=True, decimal_places=4, max_digits=8, null=True)),
                ("final_pct", models.DecimalField(blank=True, decimal_places=4, max_digits=8, null=True)),
                ("min_pct", models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True)),
                ("max_pct", models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True)),
                ("spread", models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True)),
                ("gateway_failed", models.BooleanField(default=False)),
                ("has_moderation", models.BooleanField(default=False)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name_plural": "bid totals",
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
