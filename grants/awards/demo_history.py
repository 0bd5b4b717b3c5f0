"""Issue 18: the funder's history, loaded from the workbooks in grants/awards/history/ through the
importer, as a programme manager would load them (without a person: `actor=None` is the system).

The workbooks are the source: the funder edits them, and seed_demo loads what they say. Each
holds one programme's awards, paid tranches, approved returns and returned funds; their README
says which report each figure comes from and which rows are illustrative. What the format cannot
carry (output targets and forecasts, benefits, partnerships, closure reports, spend) is added
afterwards by grants.awards.demo and its helpers, keyed on the workbooks' references.

Idempotent: importing a reference again updates that award, or changes nothing if nothing differs.
A workbook that does not import is an error naming it and the importer's reasons, never a demo
with part of the history missing.
"""

from pathlib import Path

from .imports import import_file
from .models import RoundOutput
from .models.monitoring import OUTPUT_UNITS

HISTORY = Path(__file__).resolve().parent / "history"
WORKBOOKS = [
    "behavioural-insights.xlsx",
    "digital.xlsx",
    "cyber-security.xlsx",
    "one-public-estate.xlsx",
    "land-release-fund.xlsx",
    "productivity-experts.xlsx",
    "design-in-the-public-sector.xlsx",
    "housing-tenancy-fraud.xlsx",
]
# The output catalogue of each round whose returns carry figures: a return's `output: <kind>`
# column is matched against its round's catalogue, so the catalogue comes first. Created in the
# order the demo always created them, so the earlier rounds' outputs keep their order.
ROUND_OUTPUTS = {
    "bi-phase-3": ["savings", "cost_avoidance"],
    "channel-shift": ["savings", "projects_live"],
    "ope-phase-7": ["capital_receipts", "running_cost_savings", "jobs_created", "homes"],
    "ope-phase-5": ["capital_receipts", "running_cost_savings", "jobs_created", "homes"],
    "digital-experts-2015": ["savings", "income"],
    "digital-transformation-2016": ["savings"],
    "digital-housing-2018-19": ["projects_live"],
}


class HistoryNotImported(Exception):
    """A history workbook the importer did not save: the demo stops rather than load part of it."""


def catalogues(rounds: dict) -> None:
    for slug, kinds in ROUND_OUTPUTS.items():
        for i, kind in enumerate(kinds):
            RoundOutput.objects.get_or_create(
                round=rounds[slug], kind=kind, label="", defaults={"unit": OUTPUT_UNITS[kind], "order": i}
            )


def seed(stdout=None, context=None) -> dict:
    """Import every workbook; remember the results in `context["history"]` so the awards demo,
    which needs the awards, does not import them again in the same run."""
    if "history" in context:
        return {"history": context["history"]}
    catalogues(context["rounds"])
    results = {}
    for name in WORKBOOKS:
        result = import_file(HISTORY / name, filename=name, actor=None, confirm=True)
        if not result.saved:
            reasons = "; ".join(str(e) for e in result.errors) or "no reason given"
            raise HistoryNotImported(f"{name} was not imported: {reasons}")
        results[name] = result
    context["history"] = results
    if stdout:
        stdout.write(f"History: {len(results)} workbooks imported")
    return {"history": results}
