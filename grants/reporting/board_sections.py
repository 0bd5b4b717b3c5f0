"""The board report's parts. Each programme's report is a list of sections; a section is one table
with typed columns (and, where a picture helps, a chart drawn from the same rows), so the page,
the PDF, the CSV and the XLSX all read the same figures from one place.

A provider computes one kind of section for every programme at once, as at a date, in a fixed
number of queries whatever the number of awards (`make bench` checks `board_report` stays flat).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from .charts import Chart

# How a column's raw values are shown: pounds -> "£1,234.50", count -> "7,253", percent -> "61%",
# rag -> a GOV.UK tag, date -> "31 March 2019", text -> as it is. CSV and XLSX keep the raw value.
COLUMN_KINDS = ("text", "pounds", "count", "percent", "rag", "date")


@dataclass
class Column:
    key: str
    label: str
    kind: str = "text"


@dataclass
class BoardSection:
    key: str  # "spend", "outputs", "benefits", "commitments", "deliverables", "reach", ...
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)  # raw values: Decimal, int, str, date or None
    chart: Chart | None = None
    note: str = ""  # one plain sentence under the table, for example what "within tolerance" means


# (programme ids, as at) -> {programme id: [sections]}; a programme with nothing to show is left out.
SectionProvider = Callable[[list[int], date], dict[int, list[BoardSection]]]
