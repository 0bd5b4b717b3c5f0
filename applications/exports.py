"""A round's bids with their answers as a staff download, registered with the reporting
framework as the table "round-bids" so the CSV and XLSX hold exactly the bids the staff bid list
shows for the same filters and sort (read from the page's query string), stream (CSV) with flat
memory, and can run as a background export.

Rows are built a chunk of bids at a time: each chunk reads its answers and files in one query
apiece (partners come prefetched with the chunk), so memory holds one chunk, not the round, and
the number of queries grows with bids / CHUNK, never with bids. Text cells are defused against
spreadsheet formulas by the reporting framework's one shared rule (`safe_text`).
"""

from collections.abc import Iterable, Iterator
from itertools import islice

from grants.core.exports import Table, table

from . import selectors, staff_selectors
from .answers import display_answer, shown_question_ids
from .models import Answer, EvidenceFile, Question, QuestionType
from .permissions import staff_round_or_404, without_barred

CHUNK = 500
FILTERS = ("status", "stage", "region", "kind", "partner", "q")
FIXED = [
    "Reference",
    "Status",
    "Stage",
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
    "Other partners",
    "Submitted at",
    "Senior officer",
    "Status reason",
]


def staff_filters(params) -> tuple[dict[str, str], str]:
    """The staff bid list's filters and sort from a query string: one reading for page and download.

    NUL cannot be sent to PostgreSQL in a query, and no filter value ever contains one.
    """
    filters = {k: str(params.get(k, "") or "").replace("\x00", "").strip() for k in FILTERS}
    return filters, str(params.get("sort", "") or "reference")


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def bid_rows(bids, questions: list[Question]) -> Iterator[list]:
    for chunk in _chunks(bids.iterator(chunk_size=CHUNK), CHUNK):
        ids = [b.pk for b in chunk]
        answers = {
            (bid_id, question_id): value
            for bid_id, question_id, value in Answer.objects.filter(bid_id__in=ids).values_list(
                "bid_id", "question_id", "value"
            )
        }
        by_bid: dict[int, dict] = {}
        for (bid_id, question_id), value in answers.items():
            by_bid.setdefault(bid_id, {})[question_id] = value
        files: dict[tuple[int, int | None], list[str]] = {}
        for bid_id, question_id, name in (
            EvidenceFile.objects.filter(bid_id__in=ids)
            .order_by("uploaded_at", "pk")
            .values_list("bid_id", "question_id", "original_name")
        ):
            files.setdefault((bid_id, question_id), []).append(name)
        for b in chunk:
            # A question whose condition did not hold did not apply: its stale answer stays out.
            shown = shown_question_ids(questions, by_bid.get(b.pk, {}))
            yield [
                b.reference or "",
                b.get_status_display(),
                b.get_stage_display(),
                b.lead.short_name,
                b.lead.code or "",
                b.lead.region,
                b.lead.get_kind_display(),
                b.title,
                b.summary,
                b.amount_requested,
                b.match_funding,
                b.planned_start,
                b.planned_end,
                "; ".join(f"{p.organisation.short_name} ({p.get_status_display().lower()})" for p in b.partners.all()),
                "; ".join(f"{o.name} ({o.get_kind_display().lower()})" for o in b.other_partners.all()),
                b.submitted_at,
                f"{b.declaration_name}, {b.declaration_role}" if b.declaration_name else "",
                b.status_reason,
                *(
                    "; ".join(files.get((b.pk, q.pk), []))
                    if q.type == QuestionType.FILE_UPLOAD
                    else display_answer(q, answers.get((b.pk, q.pk)))
                    if q.pk in shown
                    else ""
                    for q in questions
                ),
                "; ".join(files.get((b.pk, None), [])),
            ]


@table("round-bids")
def round_bids(user, params) -> Table:
    """Every bid of the round the staff bid list would show for these filters, in its order."""
    round = staff_round_or_404(user, params.get("round", ""))
    filters, sort = staff_filters(params)
    bids, _ = without_barred(staff_selectors.staff_bids(round=round, sort=sort, **filters), user, round=round)
    questions = selectors.round_questions(round_id=round.pk)
    header = FIXED + [q.text for q in questions] + ["Other evidence files"]
    return Table(f"Bids {round.reference_prefix}", header, bid_rows(bids, questions), total=bids.count())
