"""`export_360giving_100k`: the 360Giving export (JSON, then CSV) of 100,000 published awards at
full size, written to a temporary file as the command does; seconds, grants per second and the
peak Python memory (tracemalloc) while writing, which stays flat because the queryset is read in
chunks and written grant by grant.

The dataset holds 10,000 awards, so the extra ones (each with a paid tranche) are bulk-created
here and deleted afterwards, leaving the dataset as it was for the operations that follow.
"""

import random
import tempfile
from datetime import timedelta
from decimal import Decimal

from bench.dataset import BATCH, Dataset
from bench.measure import measure_once_with_memory

TARGET = 100_000


def _top_up(ds: Dataset) -> list[int]:
    from grants.awards.models import Award, PaymentTranche
    from grants.reporting.threesixty import GRANT_STATUSES as PUBLISHED

    have = Award.objects.filter(status__in=PUBLISHED).count()
    need = max(0, int(TARGET * ds.scale) - have)
    templates = list(Award.objects.filter(status__in=PUBLISHED).values(
        "round_id", "lead_id", "amount", "award_date", "planned_start", "planned_end"
    )[:500])  # fmt: skip
    if not need or not templates:
        return []
    created: list[int] = []
    for start in range(0, need, BATCH * 5):
        batch = []
        for i in range(start, min(need, start + BATCH * 5)):
            t = random.choice(templates)
            batch.append(
                Award(
                    reference=f"BX-{i:07d}",
                    title=f"Bench open-data grant {i}",
                    scope="What the project will do.",
                    status=random.choice(PUBLISHED),
                    **t,
                )
            )
        awards = Award.objects.bulk_create(batch, batch_size=BATCH)
        PaymentTranche.objects.bulk_create(
            [
                PaymentTranche(
                    award=a, number=1, amount=(a.amount / 2).quantize(Decimal("0.01")) or Decimal("1.00"),
                    status="paid", paid_on=a.award_date + timedelta(days=30),
                )
                for a in awards
            ],
            batch_size=BATCH,
        )  # fmt: skip
        created.extend(a.pk for a in awards)
    return created


def _cleanup(ids: list[int]) -> None:
    from grants.awards.models import Award, PaymentTranche

    for start in range(0, len(ids), 10_000):
        chunk = ids[start : start + 10_000]
        PaymentTranche.objects.filter(award_id__in=chunk).delete()
        Award.objects.filter(pk__in=chunk).delete()


def run(ds: Dataset, repeat: int) -> list[dict]:
    from django.db import connection

    from grants.reporting import threesixty

    extra = _top_up(ds)
    if extra and connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics after the bulk load, as bench/dataset does
            cursor.execute("ANALYZE grants_award, grants_paymenttranche")
    results = []
    try:
        for fmt in ("json", "csv"):
            qs = threesixty.grants_queryset()

            def export(fmt=fmt, qs=qs) -> int:
                with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as fh:
                    return threesixty.write(fh, qs, fmt)

            seconds, peak_mb, grants = measure_once_with_memory(export)
            name = "export_360giving_100k" if fmt == "json" else "export_360giving_100k_csv"
            rate = round(grants / seconds) if seconds else 0
            print(f"  {name}: {grants} grants in {seconds} s ({rate}/s), peak {peak_mb} MB", flush=True)
            results.append(
                {"name": name, "seconds": seconds, "peak_mb": peak_mb, "grants": grants, "grants_per_second": rate}
            )
    finally:
        _cleanup(extra)
    return results
