"""`import_history_10k`: the history import (grants.awards.imports) of a generated workbook of
10,000 awards with one return each (20,000 rows): seconds and peak Python memory (tracemalloc) to
preview it, then to import it. It runs in `make bench` on the full dataset (its own programme and
round, deleted afterwards), or alone on an empty test database:

    DATABASE_URL=postgres://... .venv/bin/python -m bench.ops_imports [--awards 10000]

which also writes its figures into bench/results.json's operations.
"""

import argparse
import io
import os
import sys

AWARDS = 10_000


def workbook(programme, rnd, leads: list[str], n: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    awards = book.create_sheet("Awards")
    awards.append(["Reference", "Programme", "Round", "Lead", "Title", "Amount", "Award date", "Status"])
    returns = book.create_sheet("Returns")
    returns.append(["Award reference", "Period", "Period start", "Period end", "Sent on", "RAG", "Commentary"])
    for i in range(n):
        ref = f"HX-{i:06d}"
        awards.append([ref, programme.slug, rnd.slug, leads[i % len(leads)], f"History {i}", 1000 + i % 500, "2019-04-01", "completed"])  # fmt: skip
        returns.append([ref, "2019/20 Q1", "2019-04-01", "2019-06-30", "2019-07-20", "Green", "On track"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rss(func):
    """Seconds without tracemalloc's overhead (it about doubles this import's time), and the
    process's peak resident memory (ru_maxrss: the whole process, Django and openpyxl included)."""
    import resource
    import time

    start = time.perf_counter()
    result = func()
    seconds = round(time.perf_counter() - start, 3)
    return seconds, round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1), result


def run(ds=None, repeat: int = 1, n: int | None = None, rss: bool = False) -> list[dict]:
    """`n` awards: 10,000 alone or in a full `make bench`, the dataset's fraction of it otherwise
    (the harness's test builds a tiny dataset and must not import 10,000 awards)."""
    from decimal import Decimal

    from bench.measure import measure_once_with_memory
    from grants.awards.imports import import_file
    from grants.awards.models import Award
    from grants.models import Organisation, Programme, Round

    measure = _rss if rss else measure_once_with_memory
    if n is None:
        n = AWARDS if ds is None else max(20, int(AWARDS * ds.scale))

    funder = Organisation.objects.filter(kind="funder").first() or Organisation.objects.create(name="Bench funder", short_name="Bench funder", code="BFX", kind="funder")  # fmt: skip
    programme = Programme.objects.create(name="Bench history", slug="bench-history", code="BH", funder=funder)
    rnd = Round.objects.create(
        programme=programme, name="Bench history round", slug="bench-history-round", reference_prefix="BHX",
        financial_year=2019, budget=Decimal("100000000.00"), min_award=Decimal("1.00"), max_award=Decimal("1000000.00"),
        opens_at="2019-01-01T00:00:00Z", closes_at="2019-02-01T00:00:00Z",
    )  # fmt: skip
    leads = list(
        Organisation.objects.filter(end_date__isnull=True, code__isnull=False)
        .exclude(code="")
        .values_list("code", flat=True)[:200]
    )
    data = workbook(programme, rnd, leads, n)
    results = []
    try:
        for name, confirm in (("import_history_10k_preview", False), ("import_history_10k", True)):
            seconds, peak_mb, result = measure(
                lambda confirm=confirm: import_file(
                    io.BytesIO(data), filename="history.xlsx", actor=None, confirm=confirm
                )
            )
            assert not result.errors, result.errors[:3]
            rows = len(result.rows)
            print(f"  {name}: {rows} rows in {seconds} s ({round(rows / seconds)}/s), peak {peak_mb} MB", flush=True)
            memory = (
                "peak resident memory of the process (ru_maxrss)" if rss else "peak Python allocation (tracemalloc)"
            )
            results.append(
                {"name": name, "seconds": seconds, "peak_mb": peak_mb, "memory": memory, "rows": rows, "awards": n}
            )
    finally:
        Award.objects.filter(round=rnd).delete()
        rnd.return_periods.all().delete()
        rnd.delete()
        programme.delete()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--awards", type=int, default=AWARDS)
    parser.add_argument("--no-write", action="store_true", help="print the figures only")
    parser.add_argument("--rss", action="store_true", help="time without tracemalloc; peak memory as ru_maxrss")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    from bench.run import OUT, write

    setup_test_environment(debug=False)
    old = setup_databases(verbosity=0, interactive=False)
    try:
        figures = run(n=args.awards, rss=args.rss)
        vendor = connection.vendor
    finally:
        teardown_databases(old, verbosity=0)
    if not args.no_write:
        import json

        results = json.loads(OUT.read_text())
        # Every earlier figure of this import goes (a run at another size too): these replace them.
        results["operations"] = [op for op in results["operations"] if not op["name"].startswith("import_history")] + [
            {**f, "database": vendor} for f in figures
        ]
        write(results, OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
