"""The benchmark harness itself, at a tiny scale on the test database: the generator builds the
shape the issue asks for, and the results writer produces bench/results.json's exact shape.
No timing is asserted: benchmarks print figures, they never pass or fail on them."""

import json

import pytest
from django.db.models import Count

from bench import run
from bench.dataset import FULL, OPEN_ROUNDS, build

TINY = 0.005  # 100 bids, 50 awards, 500 notifications


@pytest.fixture
def eager(monkeypatch):
    """The fan-out operation starts a real worker when a broker is set; one could not see this
    test's uncommitted data, so delivery runs in-process here."""
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)


@pytest.mark.django_db
def test_dataset_has_the_issues_shape():
    from applications.models import Bid
    from grants.awards.models import Award, MonitoringReturn
    from grants.models import Organisation, Programme, Round
    from grants.selectors import rounds_public
    from notifications.models import Notification
    from scoring.models import Assessment, Score

    ds = build(TINY)

    assert Organisation.objects.councils().current().count() == 317 == ds.counts["councils"]
    assert Programme.objects.filter(slug__startswith="bench-").count() == FULL["programmes"] == 10
    assert Round.objects.filter(slug__startswith="bench-round-").count() == FULL["rounds"] == 60
    assert Bid.objects.count() == ds.counts["bids"] == int(FULL["bids"] * TINY)
    assert rounds_public().count() == OPEN_ROUNDS
    # Three submitted assessments of eight criteria for every bid of every assessed round.
    assessed = Bid.objects.filter(round_id__in=ds.assessed_round_ids)
    assert assessed.exists() and len(ds.assessed_round_ids) == 30
    per_bid = assessed.annotate(n=Count("assessments")).values_list("n", flat=True)
    assert set(per_bid) == {3}
    per_assessment = Assessment.objects.annotate(n=Count("scores")).values_list("n", flat=True)
    assert set(per_assessment) == {8}
    assert Score.objects.count() == 3 * 8 * assessed.count()
    # Four quarterly returns for every award; notifications in the outbox.
    assert Award.objects.count() == ds.counts["awards"] > 0
    per_award = Award.objects.annotate(n=Count("returns")).values_list("n", flat=True)
    assert set(per_award) == {4}
    assert MonitoringReturn.objects.count() == 4 * Award.objects.count()
    assert Notification.objects.count() == ds.counts["notifications"] == int(FULL["notifications"] * TINY)


@pytest.mark.django_db(transaction=True)  # the fan-out's emails are queued when each batch commits
def test_results_have_the_issues_shape(tmp_path, eager):
    results = run.measure(scales={"small": TINY / 2, "full": TINY}, repeat=1)
    out = tmp_path / "results.json"
    run.write(results, out)
    written = json.loads(out.read_text())

    assert run.missing(written) == []
    assert set(written) == {"database", "pages", "baseline_ms", "baselines", "baselines_small", "operations"}
    assert written["database"] in ("sqlite", "postgresql")
    assert isinstance(written["baseline_ms"], float) and written["baseline_ms"] > 0
    # One baseline per persona, at both sizes: the three signed-in people, the API token, anonymous.
    personas = {"anonymous", "council_officer", "assessor", "programme_manager", "api_token"}
    for key in ("baselines", "baselines_small"):
        assert set(written[key]) == personas, written[key]
        assert all(isinstance(ms, float) and ms > 0 for ms in written[key].values())
    assert written["baseline_ms"] == written["baselines"]["anonymous"]
    pages = {p["name"]: p for p in written["pages"]}
    assert set(run.REQUIRED_PAGES) <= set(pages)
    for page in pages.values():
        paired = {f"paired_baseline_ms_{size}" for size in ("small", "full")}
        # Every page but a persona's own baseline page (api_me) has its baseline timed in turn with it.
        assert set(page) == {"name", *run.PAGE_KEYS} | (set() if page["name"] == "api_me" else paired), page
        assert all(isinstance(page[k], int) for k in ("rows_small", "rows_full", "queries_small", "queries_full"))
        assert all(isinstance(page[k], float) for k in ("median_ms_small", "median_ms_full"))
        assert page["queries_full"] > 0
        for size in ("small", "full"):  # each page over its own persona's baseline at the same size
            own = written["baselines_small" if size == "small" else "baselines"][page["persona"]]
            baseline = page.get(f"paired_baseline_ms_{size}", own)
            assert isinstance(baseline, float) and baseline > 0, page
            assert page[f"x_baseline_{size}"] == round(page[f"median_ms_{size}"] / baseline, 2), page
    assert {p["persona"] for p in pages.values()} == personas
    assert pages["council_dashboard"]["persona"] == "council_officer"
    assert pages["assessor_queue"]["persona"] == "assessor"
    assert pages["staff_bid_list"]["persona"] == pages["ranking"]["persona"] == "programme_manager"
    assert pages["public_round_list"]["persona"] == "anonymous"
    # The token's pages are compared with api_me, which is its baseline (so exactly 1).
    assert pages["api_awards_10k"]["persona"] == pages["api_me"]["persona"] == "api_token"
    assert pages["api_me"]["x_baseline_full"] == pages["api_me"]["x_baseline_small"] == 1.0
    assert pages["staff_bid_list"]["rows_full"] == int(FULL["bids"] * TINY) // 4  # the big round
    assert pages["public_round_list"]["rows_full"] == OPEN_ROUNDS
    # The board report reads every programme's sections in a fixed number of queries (issue 17).
    assert pages["board_report"]["queries_small"] == pages["board_report"]["queries_full"]
    assert pages["board_report"]["queries_cold_small"] == pages["board_report"]["queries_cold_full"]
    # The pages that keep their figures (grants.core.datacache) read them back on a repeat view
    # and work them out again after the data changed.
    for name in ("ranking", "programme_portfolio", "dashboard", "board_report"):
        assert pages[name]["queries_cold_full"] > pages[name]["queries_full"], pages[name]
    for page in pages.values():
        for size in ("small", "full"):
            own = written["baselines_small" if size == "small" else "baselines"][page["persona"]]
            baseline = page.get(f"paired_baseline_ms_{size}", own)
            assert page[f"x_baseline_cold_{size}"] == round(page[f"median_ms_cold_{size}"] / baseline, 2), page
    assert pages["board_report"]["rows_full"] == pages["dashboard"]["rows_full"] > 0
    operations = {op["name"]: op for op in written["operations"]}
    for name, keys in run.REQUIRED_OPERATIONS.items():
        assert all(isinstance(operations[name][k], int | float) for k in keys), operations[name]


def test_missing_names_what_is_absent():
    """The check that makes `make bench` fail when a figure is missing can itself fail."""
    results = {"pages": [{"name": "ranking", "rows_small": 1}], "operations": [{"name": "ranking_2000_bids"}]}
    problems = run.missing(results)
    assert "no baseline_ms (the anonymous page)" in problems
    assert any(p.startswith("page dashboard") for p in problems)
    assert any("ranking" in p and "median_ms_small" in p for p in problems)
    assert any(p.startswith("page ranking: no persona") and "x_baseline_full" in p for p in problems)
    assert any(p.startswith("operation ranking_2000_bids: no median_ms, queries") for p in problems)
    assert any(p.startswith("operation reminder_fanout_10k") for p in problems)


def test_missing_wants_every_pages_baseline():
    """A results file from before fair baselines (no persona, ratios or baselines) fails; so does
    one whose page names a persona with no baseline measured."""
    full = {k: 1.0 for k in run.PAGE_KEYS if k != "persona"}
    old = {
        "baseline_ms": 0.4,
        "pages": [{"name": n, **{k: v for k, v in full.items() if not k.startswith("x_")}} for n in run.REQUIRED_PAGES],
        "operations": [],
    }
    problems = run.missing(old)
    absent = "no persona, x_baseline_small, x_baseline_full, x_baseline_cold_small, x_baseline_cold_full"
    assert all(f"page {n}: {absent}" in problems for n in run.REQUIRED_PAGES)
    new = {
        "baseline_ms": 0.4,
        "baselines": {"council_officer": 5.0},
        "pages": [{"name": n, "persona": "council_officer", **full} for n in run.REQUIRED_PAGES],
        "operations": [],
    }
    assert not [p for p in run.missing(new) if p.startswith(("page", "baselines"))]
    new["pages"][0]["persona"] = "assessor"
    assert f"baselines: no assessor (the persona of {run.REQUIRED_PAGES[0]})" in run.missing(new)


def test_only_replaces_the_pages_it_measured_and_keeps_the_rest():
    """`make bench` with --only: a new page lands in results.json without losing the others' figures."""
    previous = {
        "database": "postgresql",
        "baseline_ms": 0.9,
        "baselines": {"anonymous": 0.9, "programme_manager": 6.0, "api_token": 2.0},
        "baselines_small": {"anonymous": 0.8, "programme_manager": 5.0, "api_token": 1.5},
        "pages": [{"name": "ranking", "median_ms_full": 291.0}, {"name": "api_awards_10k", "median_ms_full": 1.0}],
        "operations": [{"name": "ranking_2000_bids", "median_ms": 54.0}],
    }
    partial = {"database": "postgresql", "baseline_ms": 0.0, "operations": [],
               "baselines": {"api_token": 2.5}, "baselines_small": {"api_token": 2.1},
               "pages": [{"name": "api_awards_10k", "median_ms_full": 218.8}]}  # fmt: skip
    out = run.merged(previous, partial)
    pages = {p["name"]: p["median_ms_full"] for p in out["pages"]}
    assert pages == {"ranking": 291.0, "api_awards_10k": 218.8}
    assert out["operations"] == previous["operations"] and out["baseline_ms"] == 0.9
    # The token's baseline was measured again beside its page; the others stay as they were.
    assert out["baselines"] == {"anonymous": 0.9, "programme_manager": 6.0, "api_token": 2.5}
    assert out["baselines_small"] == {"anonymous": 0.8, "programme_manager": 5.0, "api_token": 2.1}
    # A public page measured again brings the anonymous baseline, which is also baseline_ms.
    public = {**partial, "baseline_ms": 1.1, "baselines": {"anonymous": 1.1}, "baselines_small": {"anonymous": 1.0}}
    assert run.merged(previous, public)["baseline_ms"] == 1.1
    with pytest.raises(SystemExit):
        run.merged({**previous, "database": "sqlite"}, partial)


def test_only_replaces_the_operations_it_measured_and_keeps_the_rest():
    """`--only ranking_2000_bids` runs that operation's module and puts its figure in place."""
    from bench import operations

    previous = {
        "database": "postgresql", "baseline_ms": 0.9, "baselines": {}, "pages": [{"name": "ranking"}],
        "operations": [{"name": "ranking_2000_bids", "median_ms": 107.0}, {"name": "reminder_fanout_10k"}],
    }  # fmt: skip
    partial = {"database": "postgresql", "baseline_ms": 0.0, "pages": [],
               "operations": [{"name": "ranking_2000_bids", "median_ms": 31.0}]}  # fmt: skip
    out = run.merged(previous, partial)
    assert {op["name"]: op.get("median_ms") for op in out["operations"]} == {
        "reminder_fanout_10k": None, "ranking_2000_bids": 31.0,
    }  # fmt: skip
    assert out["pages"] == [{"name": "ranking"}]
    assert set(run.REQUIRED_OPERATIONS) <= operations.NAMES


def test_smoke_runs_everything_tiny_and_never_into_results_json(tmp_path):
    """CI's `make bench BENCH_ARGS=--smoke`: every page and operation (no --only), at a tiny size,
    once each, into a temporary file even when bench/results.json is named."""
    for argv in (["--smoke"], ["--smoke", "--out", str(run.OUT)]):
        args = run.parse(argv)
        assert args.out.resolve() != run.OUT and args.out.parent.is_dir() and not args.out.exists()
        assert (args.scale_full, args.repeat, args.only) == (run.SMOKE_SCALE, 1, "")
        args.out.parent.rmdir()
    assert run.parse(["--smoke", "--out", str(tmp_path / "r.json")]).out == tmp_path / "r.json"
    assert run.parse([]).out == run.OUT and run.parse([]).scale_full == 1.0
    with pytest.raises(SystemExit):
        run.parse(["--smoke", "--only", "ranking"])
