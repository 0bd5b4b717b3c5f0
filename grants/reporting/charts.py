"""Charts drawn on the server as SVG: no JavaScript, nothing to download, readable when printed.

Each chart is an `<svg role="img">` named by its title and description, and always travels with
the table of its numbers (`Chart.columns`, `Chart.rows`), which the page shows under it: the
table is the accessible version, the picture is for people who would rather look than read.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from grants.core.money import number, percent, pounds
from grants.core.words import counted

BLUE, GREEN, AMBER, RED, GREY, PURPLE = "#1d70b8", "#00703c", "#f47738", "#d4351c", "#505a5f", "#4c2c92"
RAG_COLOURS = {"green": GREEN, "amber": AMBER, "red": RED, "none": GREY}
WIDTH, LABEL_W, VALUE_W, ROW_H = 640, 210, 110, 30


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    columns: list[str]
    rows: list[list[str]]
    svg: SafeString = field(default_factory=lambda: mark_safe(""))

    @property
    def caption(self) -> str:
        return self.title


def _bars(chart_id: str, title: str, desc: str, bars: list[tuple[str, Decimal, str, str]]) -> SafeString:
    """bars: (label, value, value shown, colour). Values scale to the largest; negatives clip at 0."""
    top = max((Decimal(v) for _, v, _, _ in bars), default=Decimal(0))
    height = max(1, len(bars)) * ROW_H + 10
    bar_w = WIDTH - LABEL_W - VALUE_W
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="app-chart" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" data-chart="{chart_id}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for i, (label, value, shown, colour) in enumerate(bars):
        y = 5 + i * ROW_H
        w = int(bar_w * max(Decimal(value), Decimal(0)) / top) if top > 0 else 0
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + 19}" text-anchor="end" font-size="14" fill="#0b0c0c">'
            f"{escape(label[:32])}</text>"
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{w}" height="{ROW_H - 10}" fill="{colour}"/>'
            f'<text x="{LABEL_W + w + 6}" y="{y + 19}" font-size="14" fill="#0b0c0c">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    columns: list[str],
    rows: list[list[str]],
    bars: list[tuple[str, Decimal, str, str]],
) -> Chart:
    return Chart(chart_id, title, desc, columns, rows, _bars(chart_id, title, desc, bars))


def dashboard_charts(d) -> list[Chart]:
    """The dashboard's charts from a `selectors.Dashboard`, each with its table."""
    m = d.money
    money_items = [
        ("Budget", d.budget, BLUE),
        ("Requested by bids", d.requested, PURPLE),
        ("Awarded", m["awarded"], BLUE),
        ("Paid", m["paid"], GREEN),
        ("Returned", m["returned"], RED),
        ("Net paid", m["net"], GREEN),
    ]
    over = number(d.oversubscription) if d.oversubscription is not None else "no budget"
    charts = [
        bar_chart(
            chart_id="chart-money",
            title="Budget, requests and payments",
            desc=f"Bids asked for {pounds(d.requested)} against a budget of {pounds(d.budget)} "
            f"(requested per pound of budget: {over}); {pounds(m['awarded'])} awarded, {pounds(m['paid'])} paid, "
            f"{pounds(m['returned'])} returned.",
            columns=["Measure", "Amount"],
            rows=[[label, pounds(v)] for label, v, _ in money_items],
            bars=[(label, v, pounds(v), c) for label, v, c in money_items],
        ),
        bar_chart(
            chart_id="chart-rag",
            title="Latest RAG status of live awards",
            desc="; ".join(f"{label}: {n}" for _, label, n in d.rag) + ".",
            columns=["RAG status", "Awards"],
            rows=[[label, str(n)] for _, label, n in d.rag],
            bars=[(label, Decimal(n), str(n), RAG_COLOURS[key]) for key, label, n in d.rag],
        ),
    ]
    if d.outputs:
        charts.append(
            bar_chart(
                chart_id="chart-outputs",
                title="Outputs to date as a percentage of target",
                desc="; ".join(f"{o.name}: {o.show(o.to_date)} of {o.show(o.target)}" for o in d.outputs) + ".",
                columns=["Output", "To date", "Target", "Per cent of target"],
                rows=[[o.name, o.show(o.to_date), o.show(o.target), _pct(o.percent)] for o in d.outputs],
                bars=[(o.name, Decimal(o.percent or 0), _pct(o.percent), GREEN) for o in d.outputs],
            )
        )
    for chart_id, title, items in (
        ("chart-region", "Awards by region", d.by_region),
        ("chart-kind", "Awards by council type", d.by_kind),
    ):
        charts.append(
            bar_chart(
                chart_id=chart_id,
                title=title,
                desc="; ".join(f"{label}: {counted(n, 'award')}, {pounds(a)}" for label, n, a in items) + "."
                if items
                else "None.",
                columns=[title.split(" by ")[1].capitalize(), "Awards", "Amount awarded"],
                rows=[[label, str(n), pounds(a)] for label, n, a in items],
                bars=[(label, Decimal(a or 0), pounds(a), BLUE) for label, n, a in items],
            )
        )
    return charts


def _pct(p: int | None) -> str:
    return percent(p) if p is not None else "No target"
