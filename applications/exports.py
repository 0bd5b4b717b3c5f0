"""Every bid in a round with its answers, as CSV or XLSX. A fixed number of queries: bids,
partners, questions and answers are each read once, however many bids there are."""

import csv
import io
from collections.abc import Iterator

from django.utils import timezone
from openpyxl import Workbook

from grants.models import Round

from .answers import display_answer
from .models import Answer, Bid, BidPartner, Question

FIXED = [
    "Reference",
    "Status",
    "Lead council",
    "Lead code",
    "Region",
    "Council type",
    "Title",
    "Summary",
    "Amount requested",
    "Match funding",
    "Planned start",
    "Planned end",
    "Partners",
    "Submitted at",
    "Senior officer",
    "Status reason",
]


def export_rows(*, round: Round, bids=None) -> Iterator[list]:
    questions = list(
        Question.objects.filter(section__round=round)
        .exclude(type="file_upload")
        .order_by("section__order", "section_id", "order", "pk")
    )
    yield FIXED + [q.text for q in questions]
    bids = list(
        bids if bids is not None else Bid.objects.filter(round=round).select_related("lead").order_by("reference", "pk")
    )
    ids = [b.pk for b in bids]
    answers: dict[tuple[int, int], object] = {}
    for a in Answer.objects.filter(bid_id__in=ids).values("bid_id", "question_id", "value").iterator():
        answers[(a["bid_id"], a["question_id"])] = a["value"]
    partners: dict[int, list[str]] = {}
    for p in (
        BidPartner.objects.filter(bid_id__in=ids).select_related("organisation").order_by("organisation__short_name")
    ):
        partners.setdefault(p.bid_id, []).append(f"{p.organisation.short_name} ({p.get_status_display().lower()})")
    for b in bids:
        yield [
            b.reference or "",
            b.get_status_display(),
            b.lead.short_name,
            b.lead.code or "",
            b.lead.region,
            b.lead.get_kind_display(),
            b.title,
            b.summary,
            b.amount_requested,
            b.match_funding,
            b.planned_start or "",
            b.planned_end or "",
            "; ".join(partners.get(b.pk, [])),
            timezone.localtime(b.submitted_at).strftime("%Y-%m-%d %H:%M") if b.submitted_at else "",
            f"{b.declaration_name}, {b.declaration_role}" if b.declaration_name else "",
            b.status_reason,
        ] + [display_answer(q, answers.get((b.pk, q.pk))) for q in questions]


def _safe(value):
    """Stop spreadsheet formula injection from a council's typed text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_csv(*, round: Round) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in export_rows(round=round):
        writer.writerow([_safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(*, round: Round) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Bids")
    for row in export_rows(round=round):
        sheet.append([_safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
