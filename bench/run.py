"""`make bench`: build the synthetic dataset at a tenth and at full size, measure each key page
and operation in-process and warm, print a table and write bench/results.json.

Runs in a throwaway test database (test_<name>), on PostgreSQL when DATABASE_URL is set and on
in-memory SQLite otherwise, so it never touches the data `make run` serves. Exits 1 (after
writing what it has) if a page or operation the results must hold is missing.
"""

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

OUT = Path(__file__).resolve().parent / "results.json"
SIZES = {"small": 0.1, "full": 1.0}
# What bench/results.json must hold (the names): each page at both sizes, and each
# operation with these figures.
REQUIRED_PAGES = (
    "public_round_list",
    "council_dashboard",
    "staff_bid_list",
    "assessor_queue",
    "ranking",
    "programme_portfolio",
    "dashboard",
    "board_report",
    "api_awards_10k",  # issue 18, with api_me (same token) as its baseline
)
PAGE_KEYS = ("rows_small", "rows_full", "median_ms_small", "median_ms_full", "queries_small", "queries_full")
REQUIRED_OPERATIONS = {
    "ranking_2000_bids": ("median_ms", "queries"),
    "export_360giving_100k": ("seconds", "peak_mb"),
    "reminder_fanout_10k": ("per_second",),
    "import_history_10k": ("seconds", "peak_mb"),  # issue 18
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale-full", type=float, default=1.0, help="fraction of the full size for 'full'")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the results (JSON)")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated page names: measure only these (no operations) and replace them in the "
        "results file, keeping its other figures (a new page measured without a whole run)",
    )
    args = parser.parse_args(argv)
    only = [name for name in args.only.split(",") if name]

    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    setup_test_environment(debug=False)  # no query logging overhead, as in production
    old = setup_databases(verbosity=0, interactive=False)
    try:
        results = measure(scales={k: v * args.scale_full for k, v in SIZES.items()}, repeat=args.repeat, only=only)
    finally:
        teardown_databases(old, verbosity=0)
    if only:
        results = merged(json.loads(args.out.read_text()), results)
    write(results, args.out)
    print_table(results)
    print(f"\nWrote {args.out}")
    problems = missing(results)
    for problem in problems:
        print(f"MISSING: {problem}")
    return 1 if problems else 0


def measure(*, scales: dict[str, float], repeat: int, only: list[str] | None = None) -> dict:
    """Build each size on the current database (emptied first) and measure it; operations run on
    the last ("full") size only, and not at all when `only` names the pages to measure."""
    from django.core.management import call_command
    from django.db import connection

    from bench import operations
    from bench.dataset import build
    from bench.measure import client_for, measure_page
    from bench.pages import PAGES, optional_pages, resolve

    pages = [p for p in PAGES + optional_pages() if not only or p.name in only]
    results: dict = {"database": connection.vendor, "pages": [], "baseline_ms": 0.0, "operations": []}
    figures: dict[str, dict] = {}
    for size, scale in scales.items():
        call_command("flush", interactive=False, verbosity=0)
        print(f"Building the {size} dataset (scale {scale:g})...", flush=True)
        ds = build(scale)
        print(f"  {ds.counts}", flush=True)
        for page in pages:
            url = resolve(page, ds)
            if url is None:
                print(f"  {page.name}: not available yet (no URL)", flush=True)
                continue
            client = page.client(ds, page.persona) if page.client else client_for(ds.people[page.persona])
            fig = measure_page(client, url, repeat)
            entry = figures.setdefault(page.name, {"name": page.name})
            entry.update(
                {f"rows_{size}": page.rows(ds), f"median_ms_{size}": fig.median_ms, f"queries_{size}": fig.queries}
            )
            print(f"  {page.name}: {fig.median_ms} ms, {fig.queries} queries, {page.rows(ds)} rows", flush=True)
        if size == "full" and not only:
            results["operations"] = operations.run_all(ds, repeat=repeat)
    results["baseline_ms"] = figures.pop("baseline", {}).get("median_ms_full", 0.0)
    results["pages"] = list(figures.values())
    return results


def merged(previous: dict, partial: dict) -> dict:
    """`previous` with the pages `partial` measured put in place of theirs (same database only)."""
    if previous.get("database") != partial["database"]:
        raise SystemExit(f"The results file is from {previous.get('database')}, not {partial['database']}: run it all")
    names = {p["name"] for p in partial["pages"]}
    pages = [p for p in previous["pages"] if p["name"] not in names] + partial["pages"]
    return {**previous, "pages": pages}


def missing(results: dict) -> list[str]:
    """Pages, operations or figures the results should hold and do not."""
    problems = []
    pages = {p["name"]: p for p in results["pages"]}
    for name in REQUIRED_PAGES:
        absent = [k for k in PAGE_KEYS if k not in pages.get(name, {})]
        if absent:
            problems.append(f"page {name}: no {', '.join(absent)}")
    operations = {op["name"]: op for op in results["operations"]}
    for name, keys in REQUIRED_OPERATIONS.items():
        absent = [k for k in keys if k not in operations.get(name, {})]
        if absent:
            problems.append(f"operation {name}: no {', '.join(absent)}")
    return problems


def write(results: dict, out: Path) -> None:
    out.write_text(json.dumps(results, indent=2) + "\n")


def print_table(results: dict) -> None:
    print(f"\nDatabase: {results['database']}; baseline page {results['baseline_ms']} ms")
    head = f"{'page':<24}{'rows small':>11}{'ms':>9}{'queries':>9}{'rows full':>11}{'ms':>9}{'queries':>9}"
    print(head)
    print("-" * len(head))
    for p in results["pages"]:
        print(
            f"{p['name']:<24}{p.get('rows_small', ''):>11}{p.get('median_ms_small', ''):>9}"
            f"{p.get('queries_small', ''):>9}{p.get('rows_full', ''):>11}{p.get('median_ms_full', ''):>9}"
            f"{p.get('queries_full', ''):>9}"
        )
    for op in results["operations"]:
        print("  ".join(f"{k}={v}" for k, v in op.items()))


if __name__ == "__main__":
    sys.exit(main())
