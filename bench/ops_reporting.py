"""`export_360giving_100k` (JSON) and `export_360giving_100k_csv`: the 360Giving export of 100,000
published awards at full size, written to a temporary file as the command does.

Figures: `seconds` (wall clock) and `cpu_seconds` (this process only: the database's own work is
not in it, and on a loaded machine the wall clock also counts waiting for a core), grants per
second, and the peak memory the export adds. `peak_mb` is the honest one, the larger of
`peak_rss_mb` (growth of the process's peak resident memory over the run, C allocations by
psycopg and the json/csv writers included; on Linux the peak is reset first through
/proc/self/clear_refs, elsewhere it is ru_maxrss, which counts only growth beyond any earlier
peak) and `peak_python_mb` (tracemalloc's peak of the Python heap, measured in a second run since
tracing slows the export); `peak_mb_is` says so in the output.

The dataset holds 10,000 awards, so the extra ones (each with a paid tranche) are bulk-created
here and deleted afterwards, leaving the dataset as it was for the operations that follow.
"""

import random
import resource
import tempfile
import time
from datetime import timedelta
from decimal import Decimal

from bench.dataset import BATCH, Dataset
from bench.measure import measure_once_with_memory

TARGET = 100_000
PEAK_MB_IS = "max(peak_rss_mb, peak_python_mb): peak resident memory growth, or tracemalloc's peak if higher"


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


def _status_mb(field: str) -> float | None:
    """VmRSS or VmHWM (peak resident) of this process in MB, None where /proc is not there."""
    try:
        with open("/proc/self/status") as fh:
            line = next(line for line in fh if line.startswith(field + ":"))
    except OSError:
        return None
    return int(line.split()[1]) / 1024


def _reset_peak() -> bool:
    """Make VmHWM the current RSS (Linux), so the peak measured is this run's."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        return False
    return _status_mb("VmHWM") is not None


def measure_rss(func) -> tuple[float, float, float, object]:
    """seconds, cpu seconds and peak resident memory growth (MB) of one call, untraced."""
    if _reset_peak():
        start_mb = _status_mb("VmRSS")
    else:
        start_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu, start = time.process_time(), time.perf_counter()
    result = func()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    end_mb = _status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return round(seconds, 3), round(cpu, 3), round(max(0.0, end_mb - start_mb), 2), result


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

            seconds, cpu, rss_mb, grants = measure_rss(export)
            _, python_mb, _ = measure_once_with_memory(export)
            name = "export_360giving_100k" if fmt == "json" else "export_360giving_100k_csv"
            rate = round(grants / seconds) if seconds else 0
            peak_mb = max(rss_mb, python_mb)
            print(
                f"  {name}: {grants} grants in {seconds} s (cpu {cpu} s, {rate}/s), peak {peak_mb} MB "
                f"(resident growth {rss_mb} MB, Python heap {python_mb} MB)",
                flush=True,
            )
            results.append(
                {
                    "name": name, "seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak_mb,
                    "peak_rss_mb": rss_mb, "peak_python_mb": python_mb, "peak_mb_is": PEAK_MB_IS,
                    "grants": grants, "grants_per_second": rate,
                }
            )  # fmt: skip
    finally:
        _cleanup(extra)
    return results
