"""Operations `make bench` measures on the full dataset; each lands with its feature."""

from bench.dataset import Dataset


def run_all(ds: Dataset, repeat: int) -> list[dict]:
    results = []
    for module in ("bench.ops_scoring", "bench.ops_reporting", "bench.ops_notifications", "bench.ops_imports"):
        try:
            mod = __import__(module, fromlist=["run"])
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            print(f"  {module}: not available yet", flush=True)
            continue
        results.extend(mod.run(ds, repeat=repeat))
    return results
