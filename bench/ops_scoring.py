"""`ranking_2000_bids`: the ranking selector with its funding line for the 2,000-bid round,
evaluated to a list (what the ranking page and the panel pack compute), warm, median of runs."""

from bench.dataset import Dataset
from bench.measure import measure_call


def run(ds: Dataset, repeat: int) -> list[dict]:
    from grants.models import Round
    from scoring.selectors import ranking_for_round

    round = Round.objects.get(pk=ds.ranking_round_id)

    def ranking() -> list:
        return ranking_for_round(round).rows

    rows = ranking()
    median_ms, queries = measure_call(ranking, repeat)
    print(f"  ranking_2000_bids: {median_ms} ms, {queries} queries, {len(rows)} bids", flush=True)
    return [{"name": "ranking_2000_bids", "median_ms": median_ms, "queries": queries, "bids": len(rows)}]
