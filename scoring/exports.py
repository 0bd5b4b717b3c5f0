"""Exports: scores by bid, criterion and assessor (CSV and XLSX), the printable panel pack, and
the assessment tables (assignments, moderation, ranking, register of interests) registered with
the reporting framework, so each page's CSV/XLSX download reads the same rows with the same
permission checks as the page. Only staff who may view the programme reach these."""

import csv
import io

from django.http import Http404, HttpResponse
from django.utils import timezone

from applications.permissions import barred_bid_ids
from grants.core.exports import Table, safe_text, table
from grants.models import Round

from . import permissions as perms
from . import selectors
from .models import Criterion, ModeratedScore, Score
from .register import HEADER as REGISTER_HEADER
from .register import interests_register, register_cells

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


def score_rows(*, round: Round, barred: set[int] = frozenset()) -> list[list]:
    """One row per current score, then one per current moderated score: two queries. None about
    a bid in `barred` (the viewer's conflicts of interest)."""
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
    if barred:
        scores = scores.exclude(assessment__bid_id__in=barred)
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
    if barred:
        moderated = moderated.exclude(bid_id__in=barred)
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
    """The reporting framework's formula guard for these hand-built files: text only, so
    numbers keep their sign."""
    return safe_text(value) if isinstance(value, str) else value


def _csv_response(filename: str, headers: list[str], rows: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return response


def scores_csv(*, round: Round, barred: set[int] = frozenset()) -> HttpResponse:
    return _csv_response(f"{round.slug}-scores.csv", SCORE_HEADERS, score_rows(round=round, barred=barred))


def scores_xlsx(*, round: Round, barred: set[int] = frozenset()) -> HttpResponse:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Scores"
    ws.append(SCORE_HEADERS)
    for row in score_rows(round=round, barred=barred):
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
    for r in selectors.leave_out(result.rows, barred, _row_bid)[0]:
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


def _row_bid(r) -> int:
    return r.bid.pk


def panel_pack_context(*, round: Round, barred: set[int] = frozenset()) -> dict:
    """Everything the panel meeting needs on paper: the ranking, and each bid's scores. Bids in
    `barred` are left out of the rows; the funding line and totals still count them."""
    result = selectors.ranking_for_round(round)
    result.rows, barred_count = selectors.leave_out(result.rows, barred, _row_bid)
    criteria = list(Criterion.objects.filter(round=round))
    by_bid: dict[str, list] = {}
    for row in score_rows(round=round, barred=barred):
        by_bid.setdefault(row[0], []).append(row)
    summaries = selectors.bid_summaries(r.bid.pk for r in result.rows)
    for r in result.rows:
        r.score_lines = by_bid.get(r.bid.reference, [])
        r.summary = summaries[r.bid.pk]
    return {
        "round": round,
        "ranking": result,
        "criteria": criteria,
        "printed_at": timezone.localtime(),
        "barred_count": barred_count,
    }


# Tables for the reporting framework's downloads (grants.core.downloads) ------------------
# The round is a filter (?round=<slug>); anyone who may not see the page gets a 404. The
# framework guards every text cell against spreadsheet formulas as it writes the file.


def _checked(user, params, allowed) -> Round:
    round = Round.objects.select_related("programme").filter(slug=str(params.get("round", ""))[:100]).first()
    if round is None or not allowed(user, round):
        raise Http404
    return round


@table("assessment-assignments")
def assignments_table(user, params) -> Table:
    round = _checked(user, params, perms.can_manage_round)
    header = ["Bid reference", "Lead council", "Bid title", "Assessors", "Number of assessors", "Needs"]
    rows = []
    for bid in selectors.leave_out(selectors.assignment_table(round), barred_bid_ids(user))[0]:
        names = "; ".join(a.assessor.get_full_name() for a in bid.active_assignments)
        needs = "Reassign: conflict" if bid.flagged else (f"{bid.short} more" if bid.short else "Complete")
        rows.append([bid.reference, bid.lead.short_name, bid.title, names, len(bid.active_assignments), needs])
    return Table("Assignments", header, rows, len(rows))


@table("assessment-moderation")
def moderation_table(user, params) -> Table:
    round = _checked(user, params, perms.can_moderate)
    header = ["Bid reference", "Lead council", "Lowest (%)", "Highest (%)", "Spread", "Final score (%)", "Status"]
    rows = [
        [
            b.reference,
            b.lead.short_name,
            selectors.as_decimal(b.min_pct),
            selectors.as_decimal(b.max_pct),
            selectors.as_decimal(b.spread),
            selectors.as_decimal(b.final_pct),
            "Moderated" if b.has_moderation else "To moderate",
        ]
        for b in selectors.moderation_for(user=user, round=round)
    ]
    return Table("Moderation", header, rows, len(rows))


RANKING_HEADER = [
    "Rank", "Bid reference", "Lead council", "Bid title", "Final score (%)", "Mean (%)", "Spread", "Gateway failed",
    "Requested (£)", "Recommended (£)", "Running total (£)", "Above the funding line", "Decision", "Decision status",
]  # fmt: skip


def ranking_cells(r) -> list:
    d = r.decision
    return [
        r.rank, r.bid.reference, r.bid.lead.short_name, r.bid.title, r.final, r.mean, r.spread,
        "Yes" if r.bid.gateway_failed else "No", r.bid.amount_requested, r.amount, r.running_total,
        "Yes" if r.above_line else "No", d.get_outcome_display() if d and d.outcome else "",
        d.get_status_display() if d and d.outcome else "",
    ]  # fmt: skip


@table("assessment-ranking")
def ranking_table(user, params) -> Table:
    round = _checked(user, params, perms.can_view_results)
    shown, _ = selectors.leave_out(selectors.ranking_for_round(round).rows, barred_bid_ids(user), _row_bid)
    rows = [ranking_cells(r) for r in shown]
    return Table("Ranking", RANKING_HEADER, rows, len(rows))


@table("assessment-register")
def register_table(user, params) -> Table:
    round = _checked(user, params, perms.can_manage_round)
    shown, _ = selectors.leave_out(interests_register(round), barred_bid_ids(user), _register_bid)
    rows = [register_cells(r) for r in shown]
    return Table("Register of interests", REGISTER_HEADER, rows, len(rows))


def _register_bid(row) -> int | None:
    return row.bid_id
