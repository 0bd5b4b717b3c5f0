"""Model rows as the API's schemas (grants/api/schemas.py): plain dicts, reading only what the
selectors loaded, so building a page runs no query of its own."""

from grants.awards.selectors import figures

from .schemas import money


def organisation(org) -> dict:
    return {"id": org.pk, "code": org.code, "name": org.name}


def programme(p) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "code": p.code,
        "slug": p.slug,
        "description": p.description,
        "funder": organisation(p.funder),
        "created_at": p.created_at,
        "updated_at": p.updated_at,
    }


def round(r) -> dict:
    return {
        "id": r.pk,
        "slug": r.slug,
        "name": r.name,
        "programme_id": r.programme_id,
        "status": str(r.status),
        "financial_year": r.financial_year,
        "opens_at": r.opens_at,
        "closes_at": r.closes_at,
        "budget": money(r.budget),
        "min_award": money(r.min_award),
        "max_award": money(r.max_award),
        "updated_at": r.updated_at,
    }


def bid(b) -> dict:
    return {
        "id": b.pk,
        "reference": b.reference,
        "title": b.title,
        "round_id": b.round_id,
        "lead": organisation(b.lead),
        "status": b.status,
        "stage": b.stage,
        "amount_requested": money(b.amount_requested),
        "match_funding": money(b.match_funding),
        "submitted_at": b.submitted_at,
        "created_at": b.created_at,
        "updated_at": b.updated_at,
    }


def award(a) -> dict:
    """An award with its money as the award pages show it (annotated by `with_figures`)."""
    return {
        "id": a.pk,
        "reference": a.reference,
        "title": a.title,
        "round_id": a.round_id,
        "bid_id": a.bid_id,
        "lead": organisation(a.lead),
        "status": a.status,
        "amount": money(a.amount),
        "match_funding": money(a.match_funding),
        "award_date": a.award_date,
        "planned_start": a.planned_start,
        "planned_end": a.planned_end,
        "payments": {key: money(value) for key, value in figures(a).items()},
        "updated_at": a.updated_at,
    }


def payment(t) -> dict:
    return {
        "id": t.pk,
        "award_id": t.award_id,
        "number": t.number,
        "amount": money(t.amount),
        "status": t.status,
        "due_on": t.due_on,
        "paid_on": t.paid_on,
        "updated_at": t.updated_at,
    }


def mreturn(r) -> dict:
    return {
        "id": r.pk,
        "award_id": r.award_id,
        "period": {
            "title": r.period.title,
            "period_start": r.period.period_start,
            "period_end": r.period.period_end,
            "due_on": r.period.due_on,
        },
        "status": r.status,
        "rag": r.rag,
        "submitted_at": r.submitted_at,
        "outputs": [
            {"output_id": v.output_id, "name": v.output.name, "unit": v.output.unit, "value": money(v.value)["amount"]}
            for v in r.values.all()
        ],
        "updated_at": r.updated_at,
    }
