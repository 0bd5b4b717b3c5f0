"""Operations `make bench` measures on the full dataset; each lands with its feature."""

from bench.dataset import Dataset

# Each module and the operations it measures (the names `make bench --only` accepts).
MODULES = {
    "bench.ops_scoring": ("ranking_2000_bids",),
    "bench.ops_reporting": ("export_360giving_100k", "export_360giving_100k_csv"),
    "bench.ops_notifications": ("reminder_fanout_10k",),
    "bench.ops_imports": ("import_history_10k",),
}
NAMES = {name for names in MODULES.values() for name in names}


def run_all(ds: Dataset, repeat: int, only: list[str] | None = None) -> list[dict]:
    """Every operation, or with `only` those of the modules that measure a name in it."""
    results = []
    for module, names in MODULES.items():
        if only and not set(names) & set(only):
            continue
        try:
            mod = __import__(module, fromlist=["run"])
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            print(f"  {module}: not available yet", flush=True)
            continue
        results.extend(mod.run(ds, repeat=repeat))
    return results
