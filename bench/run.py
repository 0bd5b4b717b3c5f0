"""`make bench`: build the synthetic dataset at a tenth and at full size, measure each key page
and operation in-process and warm, print a table and write bench/results.json.

Each page is also divided by its persona's baseline, measured in the same run at the same size:
a trivial page served to that persona the same way (bench/pages.py BASELINES), so the ratio is
what the page costs above the floor every page of theirs pays, not above an anonymous page.
The baseline is timed in turn with each page (one baseline view before each timed page view),
so both medians come from the same moments on a machine whose speed drifts; that paired
median is the page's `paired_baseline_ms_*`, and `baselines` keeps each persona's own run.

Runs in a throwaway test database (test_<name>), on PostgreSQL when DATABASE_URL is set and on
in-memory SQLite otherwise, so it never touches the data `make run` serves. Exits 1 (after
writing what it has) if a page or operation the results must hold is missing.

`--smoke` runs every page and operation at a tiny size, once each, into a temporary file (never
bench/results.json): a check that the bench still runs end to end (CI), not figures.
"""

import argparse
import json
import os
import sys
import tempfile
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
PAGE_KEYS = (
    "persona",
    "rows_small",
    "rows_full",
    "median_ms_small",
    "median_ms_full",
    "queries_small",
    "queries_full",
    "x_baseline_small",
    "x_baseline_full",
    # The first view after the data changed (pages that keep their figures work them out then).
    "median_ms_cold_small",
    "median_ms_cold_full",
    "queries_cold_small",
    "queries_cold_full",
    "x_baseline_cold_small",
    "x_baseline_cold_full",
)
REQUIRED_OPERATIONS = {
    "ranking_2000_bids": ("median_ms", "queries"),
    "export_360giving_100k": ("seconds", "peak_mb"),
    "reminder_fanout_10k": ("per_second",),
    "import_history_10k": ("seconds", "peak_mb"),  # issue 18
}
SMOKE_SCALE = 0.005  # full = 100 bids, 50 awards, 500 notifications; small a tenth of that


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale-full", type=float, default=1.0, help="fraction of the full size for 'full'")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the results (JSON)")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated page or operation names: measure only these (operations at full size only) and "
        "replace them in the results file, keeping its other figures (a change measured without a whole run)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"everything at a tiny size (full = {SMOKE_SCALE:g}), one timed run each, written to a temporary "
        "file unless --out names another (never bench/results.json); exits 1 if anything is missing",
    )
    args = parser.parse_args(argv)
    only = [name for name in args.only.split(",") if name]
    if args.smoke:
        if only:
            parser.error("--smoke runs everything: it cannot be combined with --only")
        if args.out.resolve() == OUT:
            args.out = Path(tempfile.mkdtemp(prefix="bench-smoke-")) / "results.json"
        args.scale_full, args.repeat = SMOKE_SCALE, 1
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
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
    the last ("full") size only, and with `only` just those it names (no small size is built when
    it names no page). At each
    size every persona's baseline is measured first (with `only`, those of the pages named), and
    each page is divided by its persona's."""
    from django.core.management import call_command
    from django.db import connection

    from bench import operations
    from bench.dataset import build
    from bench.pages import PAGES, baselines, optional_pages

    pages = [p for p in PAGES + optional_pages() if not only or p.name in only]
    ops_only = [name for name in only or [] if name in operations.NAMES]
    floors = baselines()
    personas = {p.persona for p in pages} if only else set(floors)
    results: dict = {"database": connection.vendor, "pages": [], "baseline_ms": 0.0, "operations": []}
    figures: dict[str, dict] = {}
    base: dict[str, dict[str, float]] = {}
    for size, scale in scales.items():
        if only and not pages and size != "full":
            continue
        call_command("flush", interactive=False, verbosity=0)
        print(f"Building the {size} dataset (scale {scale:g})...", flush=True)
        ds = build(scale)
        print(f"  {ds.counts}", flush=True)
        measured = {}
        for persona in sorted(personas):
            fig = _measure(floors[persona], ds, repeat)
            if fig is None:
                continue
            measured[floors[persona].name] = fig
            base.setdefault(persona, {})[size] = fig.median_ms
            print(f"  baseline for {persona}: {fig.median_ms} ms, {fig.queries} queries", flush=True)
        for page in pages:
            fig = measured.get(page.name) or _measure(page, ds, repeat, floor=floors[page.persona])
            if fig is None:
                continue
            entry = figures.setdefault(page.name, {"name": page.name, "persona": page.persona})
            entry.update(
                {
                    f"rows_{size}": page.rows(ds),
                    f"median_ms_{size}": fig.median_ms,
                    f"queries_{size}": fig.queries,
                    f"median_ms_cold_{size}": fig.cold_ms,
                    f"queries_cold_{size}": fig.cold_queries,
                }
            )
            # The baseline timed in turn with this page (bench.measure.measure_page); the persona's
            # own run at the start of this size when there is none (a baseline page itself).
            floor = fig.floor_ms or base.get(page.persona, {}).get(size)
            ratio = round(fig.median_ms / floor, 2) if floor else None  # no baseline: missing() says so
            if fig.floor_ms:
                entry[f"paired_baseline_ms_{size}"] = fig.floor_ms
            if ratio is not None:
                entry[f"x_baseline_{size}"] = ratio
                entry[f"x_baseline_cold_{size}"] = round(fig.cold_ms / floor, 2)
            print(
                f"  {page.name}: {fig.median_ms} ms (x{ratio} {page.persona}'s baseline), {fig.queries} queries, "
                f"{page.rows(ds)} rows; first view after a change {fig.cold_ms} ms, {fig.cold_queries} queries",
                flush=True,
            )
        if size == "full" and (not only or ops_only):
            results["operations"] = operations.run_all(ds, repeat=repeat, only=ops_only)
    results["baselines"] = {persona: sizes["full"] for persona, sizes in sorted(base.items()) if "full" in sizes}
    results["baselines_small"] = {p: sizes["small"] for p, sizes in sorted(base.items()) if "small" in sizes}
    results["baseline_ms"] = results["baselines"].get("anonymous", 0.0)
    results["pages"] = list(figures.values())
    return results


def _measure(page, ds, repeat: int, floor=None):
    """The page's figure for its persona, or None (said) when its URL does not exist yet; with
    `floor` (the persona's baseline page) that page is timed in turn with it."""
    from bench.measure import client_for, measure_page
    from bench.pages import resolve

    url = resolve(page, ds)
    if url is None:
        print(f"  {page.name}: not available yet (no URL)", flush=True)
        return None

    def client_of(p):
        return p.client(ds, p.persona) if p.client else client_for(ds.people[p.persona])

    paired = (client_of(floor), resolve(floor, ds)) if floor is not None and floor.name != page.name else None
    return measure_page(client_of(page), url, repeat, floor=paired)


def merged(previous: dict, partial: dict) -> dict:
    """`previous` with the pages `partial` measured put in place of theirs (same database only),
    and the baselines it re-measured (those of its pages' personas). Each page keeps the ratios
    of its own run: a page and its baseline are always measured side by side."""
    if previous.get("database") != partial["database"]:
        raise SystemExit(f"The results file is from {previous.get('database')}, not {partial['database']}: run it all")
    names = {p["name"] for p in partial["pages"]}
    pages = [p for p in previous["pages"] if p["name"] not in names] + partial["pages"]
    done = {op["name"] for op in partial["operations"]}
    ops = [op for op in previous.get("operations", []) if op["name"] not in done] + partial["operations"]
    out = {**previous, "pages": pages, "operations": ops}
    for key in ("baselines", "baselines_small"):
        out[key] = {**previous.get(key, {}), **partial.get(key, {})}
    if "anonymous" in partial.get("baselines", {}):
        out["baseline_ms"] = partial["baseline_ms"]
    return out


def missing(results: dict) -> list[str]:
    """Pages, operations or figures the results should hold and do not."""
    problems = []
    if not results.get("baseline_ms"):
        problems.append("no baseline_ms (the anonymous page)")
    pages = {p["name"]: p for p in results["pages"]}
    baselines = results.get("baselines", {})
    for name in REQUIRED_PAGES:
        page = pages.get(name, {})
        absent = [k for k in PAGE_KEYS if k not in page]
        if absent:
            problems.append(f"page {name}: no {', '.join(absent)}")
        if "persona" in page and not baselines.get(page["persona"]):
            problems.append(f"baselines: no {page['persona']} (the persona of {name})")
    operations = {op["name"]: op for op in results["operations"]}
    for name, keys in REQUIRED_OPERATIONS.items():
        absent = [k for k in keys if k not in operations.get(name, {})]
        if absent:
            problems.append(f"operation {name}: no {', '.join(absent)}")
    return problems


def write(results: dict, out: Path) -> None:
    out.write_text(json.dumps(results, indent=2) + "\n")


def print_table(results: dict) -> None:
    print(f"\nDatabase: {results['database']}; anonymous baseline page {results['baseline_ms']} ms")
    small = results.get("baselines_small", {})
    for persona, ms in results.get("baselines", {}).items():
        print(f"  baseline for {persona}: {small.get(persona, '')} ms small, {ms} ms full")
    head = (
        f"{'page':<24}{'persona':<18}{'rows small':>11}{'ms':>9}{'queries':>8}{'x base':>8}"
        f"{'rows full':>11}{'ms':>9}{'queries':>8}{'x base':>8}{'cold ms':>9}{'x base':>8}"
    )
    print(head)
    print("-" * len(head))
    for p in results["pages"]:
        print(
            f"{p['name']:<24}{p.get('persona', ''):<18}{p.get('rows_small', ''):>11}{p.get('median_ms_small', ''):>9}"
            f"{p.get('queries_small', ''):>8}{p.get('x_baseline_small', ''):>8}{p.get('rows_full', ''):>11}"
            f"{p.get('median_ms_full', ''):>9}{p.get('queries_full', ''):>8}{p.get('x_baseline_full', ''):>8}"
            f"{p.get('median_ms_cold_full', ''):>9}{p.get('x_baseline_cold_full', ''):>8}"
        )
    for op in results["operations"]:
        print("  ".join(f"{k}={v}" for k, v in op.items()))


if __name__ == "__main__":
    sys.exit(main())
