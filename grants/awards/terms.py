"""The terms of an offer as one plain record: what the letter shows and what a signatory accepts.

Built from the live award while it is offered; stored on the award at acceptance
(`Award.accepted_terms`) so the letter keeps showing what was accepted even after tranches,
milestones or the return schedule are re-planned. Stored as JSON (strings for dates and money)
and turned back into dates and Decimals for the templates by `for_display`.
"""

import hashlib
import json
from datetime import date
from decimal import Decimal

from grants.awards.models import Award


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def snapshot(award: Award) -> dict:
    """The offer's terms as they stand now (JSON-safe; lists in a fixed order, so the same terms
    always give the same digest however they were fetched)."""
    return {
        "lead": award.lead.name,
        "partners": sorted(p.name for p in award.partners.all()),
        "amount": str(award.amount),
        "match_funding": str(award.match_funding),
        "scope": award.scope,
        "conditions": award.conditions,
        "planned_start": _iso(award.planned_start),
        "planned_end": _iso(award.planned_end),
        "respond_by": _iso(award.respond_by),
        "tranches": [
            {
                "number": t.number,
                "amount": str(t.amount),
                "due_on": _iso(t.due_on),
                "milestone": t.milestone.description if t.milestone_id else "",
            }
            for t in award.tranches.all()
        ],
        "milestones": [{"description": m.description, "due_on": _iso(m.due_on)} for m in award.milestones.all()],
        "return_schedule": [
            {
                "title": p.title,
                "period_start": _iso(p.period_start),
                "period_end": _iso(p.period_end),
                "due_on": _iso(p.due_on),
            }
            for p in award.round.return_periods.all()
        ],
        "targets": [
            {"output": t.output.name, "unit": t.output.unit, "target": str(t.target)}
            for t in sorted(award.output_targets.all(), key=lambda t: (t.output.order, t.output_id))
        ],
    }


def digest(terms: dict) -> str:
    """A short fingerprint, so acceptance can refuse terms that changed while being read."""
    return hashlib.sha256(json.dumps(terms, sort_keys=True).encode()).hexdigest()[:20]


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def for_display(terms: dict) -> dict:
    """The stored strings back as dates and Decimals, for the letter's date and money filters."""
    out = dict(terms)
    out["amount"] = Decimal(terms.get("amount") or "0")
    for key in ("planned_start", "planned_end", "respond_by"):
        out[key] = _date(terms.get(key, ""))
    out["tranches"] = [
        {**t, "amount": Decimal(t["amount"]), "due_on": _date(t.get("due_on", ""))} for t in terms.get("tranches", [])
    ]
    out["milestones"] = [{**m, "due_on": _date(m.get("due_on", ""))} for m in terms.get("milestones", [])]
    out["return_schedule"] = [
        {**p, **{k: _date(p.get(k, "")) for k in ("period_start", "period_end", "due_on")}}
        for p in terms.get("return_schedule", [])
    ]
    out["targets"] = [{**t, "target": Decimal(t["target"])} for t in terms.get("targets", [])]
    return out
