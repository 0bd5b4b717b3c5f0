"""The board report's reach section: per programme, the councils involved, the partnerships, and
their share of England's councils, as at the report's date. Figures from the one owner,
`grants.reporting.reach.councils_reached`, so the report, the dashboard and commitments agree."""

from datetime import date

from .board_sections import BoardSection, Column
from .reach import councils_reached

COLUMNS = [
    Column("councils", "Councils involved", "count"),
    Column("partnerships", "Partnerships", "count"),
    Column("england_councils", "Councils in England", "count"),
    Column("share", "Share of England's councils", "percent"),
]
NOTE = (
    "Councils involved lead an award or are partners in one, or are members of a funded partnership "
    "on the date; each council is counted once."
)


def board_reach(programme_ids: list[int], as_at: date) -> dict[int, list[BoardSection]]:
    """One section per programme that has reached a council by the date (five queries)."""
    out = {}
    for pk, reach in councils_reached(programme_ids, as_at).items():
        if not reach.councils:
            continue
        row = [reach.councils, reach.partnerships, reach.england_councils, reach.share_percent]
        out[pk] = [BoardSection(key="reach", title="Reach", columns=list(COLUMNS), rows=[row], note=NOTE)]
    return out
