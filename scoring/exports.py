"""Exports: scores by bid, criterion and assessor (CSV and XLSX), the register of interests,
and the printable panel pack. Only staff who may view the programme reach these."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone

from grants.models import Round

from . import selectors
from .models import Criterion, ModeratedScore, Score

SCORE_HEADERS = [
    "Bid reference",
    "Lead council",
    "Bid title",
    "Criterion",
    "Weight",
    "Assessor",
    "Version",
    "Score",
    "Justification",
    "Submitted at",
]


def score_rows(*, round: Round) -> list[list]:
    """One row per current score, then one per current moderated score: two queries."""
    from django.db.models import F

    rows = []
    scores = (
        Score.objects.filter(
            assessment__bid__round=round,
            assessment__assignment__withdrawn_at__isnull=True,
            assessment__submitted_version__gt=0,
            version=F("assessment__submitted_version"),
        )
        .select_related("criterion", "assessment__bid__lead", "assessment__assignment__assessor", "assessment")
        .order_by(
            "assessment__bid__reference", "criterion__order", "criterion_id", "assessment__assignment__assessor__email"
        )
    )
    for s in scores:
        bid = s.assessment.bid
        rows.append(
            [
                bid.reference,
                bid.lead.short_name,
                bid.title,
                s.criterion.name,
                s.criterion.weight,
                s.assessment.assignment.assessor.get_full_name(),
                s.version,
                s.criterion.label_for(s.score),
                s.justification,
                timezone.localtime(s.assessment.submitted_at).strftime("%Y-%m-%d %H:%M")
                if s.assessment.submitted_at
                else "",
            ]
        )
    moderated = (
        ModeratedScore.objects.filter(bid__round=round, is_current=True)
        .select_related("criterion", "bid__lead", "moderated_by")
        .order_by("bid__reference", "criterion__order")
    )
    for m in moderated:
        who = m.moderated_by.get_full_name() if m.moderated_by else ""
        rows.append(
            [
                m.bid.reference,
                m.bid.lead.short_name,
                m.bid.title,
                m.criterion.name,
                m.criterion.weight,
                f"Moderated by {who}",
                "",
                m.criterion.label_for(m.score),
                m.reason,
                timezone.localtime(m.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return rows


def _safe(value):
    """Cells starting with = + - @ are read as formulas by spreadsheets: prefix them."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_response(filename: str, headers: list[str], rows: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return response


def scores_csv(*, round: Round) -> HttpResponse:
    return _csv_response(f"{round.slug}-scores.csv", SCORE_HEADERS, score_rows(round=round))


def scores_xlsx(*, round: Round) -> HttpResponse:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Scores"
    ws.append(SCORE_HEADERS)
    for row in score_rows(round=round):
        ws.append([_safe(v) for v in row])
    ranking = wb.create_sheet("Ranking")
    ranking.append(
        [
            "Rank",
            "Bid reference",
            "Lead council",
            "Final score (%)",
            "Mean (%)",
            "Spread",
            "Gateway failed",
            "Requested",
            "Recommended",
            "Running total",
            "Above the funding line",
        ]
    )
    result = selectors.ranking_for_round(round)
    for r in result.rows:
        ranking.append(
            [
                r.rank,
                r.bid.reference,
                r.bid.lead.short_name,
                r.final,
                r.mean,
                r.spread,
                "Yes" if r.bid.gateway_failed else "No",
                r.bid.amount_requested,
                r.amount,
                r.running_total,
                "Yes" if r.above_line else "No",
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{round.slug}-scores.xlsx"'
    return response


def interests_csv(*, round: Round, rows) -> HttpResponse:
    out = []
    for i in rows:
        about = i.organisation.short_name if i.organisation else f"Bid {i.bid.reference} ({i.bid.lead.short_name})"
        out.append(
            [
                i.user.get_full_name(),
                i.user.email,
                about,
                i.nature,
                timezone.localtime(i.declared_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return _csv_response(
        f"{round.slug}-register-of-interests.csv",
        ["Panel member", "Email", "Interest in", "Nature", "Declared at"],
        out,
    )


def panel_pack_context(*, round: Round) -> dict:
    """Everything the panel meeting needs on paper: the ranking, and each bid's scores."""
    result = selectors.ranking_for_round(round)
    criteria = list(Criterion.objects.filter(round=round))
    by_bid: dict[str, list] = {}
    for row in score_rows(round=round):
        by_bid.setdefault(row[0], []).append(row)
    for r in result.rows:
        r.score_lines = by_bid.get(r.bid.reference, [])
    return {"round": round, "ranking": result, "criteria": criteria, "printed_at": timezone.localtime()}
