"""The board report's sections: the registry of providers, the same figures on the page, in the
PDF, the CSV and the XLSX, charts that carry their tables, flat query counts and escaping."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from grants.reporting import board, charts
from grants.reporting.board_sections import BoardSection, Column

from . import factories as rf

pytestmark = pytest.mark.django_db
AS_AT = "2019-03-31"
EVIL = "<script>alert(1)</script>"


def _page(c) -> str:
    return c.get(reverse("reporting:board_report"), {"as_at": AS_AT}).content.decode()


def _csv(c) -> list[dict]:
    r = c.get(reverse("reporting:download", args=["board-report", "csv"]), {"as_at": AS_AT})
    return list(csv.DictReader(io.StringIO(b"".join(r.streaming_content).decode())))


def _xlsx(c):
    r = c.get(reverse("reporting:download", args=["board-report", "xlsx"]), {"as_at": AS_AT})
    return load_workbook(io.BytesIO(b"".join(r.streaming_content)))


@pytest.fixture
def pdf_source(monkeypatch):
    """What the PDF is drawn from (weasyprint's input), so its text can be read; the real PDF is
    checked in test_board_report.py."""
    import weasyprint

    seen = []

    class Capture:
        def __init__(self, string):
            seen.append(string)

        def write_pdf(self):
            return b"%PDF-captured"

    monkeypatch.setattr(weasyprint, "HTML", Capture)
    return seen


def test_money_rag_and_outputs_agree_on_every_format(client_for, world, personas, pdf_source):
    """The manager's programme at 31 March 2019: two 2018 awards stand (£30,000 and £20,000),
    £10,000 paid, one green and one red return; savings 2,100 of 6,000 reported (35%)."""
    c = client_for(personas.administrator)
    code, name = personas.programme.code, personas.programme.name

    html = _page(c)
    part = html.split(f'id="sections-{personas.programme.slug}"', 1)[1].split("</section>", 1)[0]
    money = part.split('data-section="money"', 1)[1].split('data-section="rag"', 1)[0]
    assert ">£50,000<" in money and ">£10,000<" in money and "govuk-table__cell--numeric" in money
    rag = part.split('data-section="rag"', 1)[1].split('data-section="outputs-pounds"', 1)[0]
    assert '<strong class="govuk-tag govuk-tag--green">Green</strong>' in rag
    assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in rag
    outputs = part.split('data-section="outputs-pounds"', 1)[1]
    assert ">£2,100<" in outputs and ">£6,000<" in outputs and ">35%<" in outputs
    assert f'href="#sections-{personas.programme.slug}"' in html  # the contents list

    data = [d for d in _csv(c) if d["Programme code"] == code]
    assert {d["Programme"] for d in data} == {name} and {d["As at"] for d in data} == {AS_AT}

    def value(section, row, measure):
        (found,) = [d for d in data if (d["Section"], d["Row"], d["Measure"]) == (section, row, measure)]
        numeric = found["Unit"] in ("pounds", "count", "percent")
        return (Decimal(found["Value"]) if numeric else found["Value"]), found["Unit"]

    assert value("Overview", "", "Awarded") == (50000, "pounds")
    assert value("Money", "Paid", "Amount") == (10000, "pounds")
    assert value("RAG status of awards", "Green", "Awards") == (1, "count")
    assert value("RAG status of awards", "Not reported", "Awards") == (0, "count")
    assert value("Outputs in pounds", "Savings", "Actual to date") == (2100, "pounds")
    assert value("Outputs in pounds", "Savings", "Actual as a share of the latest forecast") == (35, "percent")
    assert not any("£" in d["Value"] for d in data if d["Measure"] != "Summary")

    wb = _xlsx(c)
    assert wb.sheetnames[:4] == ["Overview", "Money", "RAG status of awards", "Outputs in pounds"]
    ov = wb["Overview"]
    head = [c.value for c in ov[1]]
    (mine,) = [r for r in ov.iter_rows(min_row=2) if r[0].value == code]
    assert mine[head.index("Awarded")].value == 50000 and mine[head.index("Awarded")].number_format == '"£"#,##0.00'
    assert mine[head.index("RAG")].value == "Red"
    ws = wb["Outputs in pounds"]
    (out,) = [r for r in ws.iter_rows(min_row=2) if r[0].value == code]
    assert [c.value for c in out[:4]] == [code, name, "Savings", 6000]
    assert out[7].value == 2100 and out[7].number_format == '"£"#,##0.00'
    assert out[-1].value == pytest.approx(0.35) and out[-1].number_format == "0.0%"
    assert len(ws._charts) == 1  # a native chart on the sheet of a section with a chart
    assert len(wb["Money"]._charts) == 1

    c.get(reverse("reporting:board_report_pdf"), {"as_at": AS_AT})
    (source,) = pdf_source
    pdf_part = source.split(f"{code} {name}</h2>", 1)[1].split('<div class="programme">', 1)[0]
    assert ">£50,000<" in pdf_part and ">35%<" in pdf_part and ">£2,100<" in pdf_part and "<svg" in pdf_part


def test_a_section_with_a_chart_shows_its_own_table_right_after_the_picture(client_for, world, personas):
    html = _page(client_for(personas.administrator))
    chart_id = f"board-money-{personas.programme.pk}"
    figure = html.split(f'id="{chart_id}"', 1)[1].split("</figure>", 1)[0]
    svg_end = figure.index("</svg>")
    table = figure[svg_end:]
    assert figure.index("<svg") < svg_end and f'data-chart="{chart_id}"' in table
    for label in ("Awarded", "Committed", "Paid", "Returned", "Net paid"):
        assert f'<th scope="row" class="govuk-table__header">{label}</th>' in table
    assert 'aria-labelledby="board-money-' in figure


def _grow(personas, n: int) -> None:
    """n more standing awards with returns and outputs in each programme, and one more programme."""
    from tests import factories as f

    rounds = rf.make_rounds([personas.programme, personas.other_programme])
    for i in range(n):
        for r in (rounds[0], rounds[2]):
            rf.make_award(r, rf.AwardSpec(0, "active", 1000 + i, paid=[500], rag="amber", target=10, value=5))
    rf.make_rounds([f.ProgrammeFactory()])


@pytest.mark.parametrize(
    "url,params",
    [
        ("reporting:board_report", {}),
        ("reporting:board_report_pdf", {}),
        ("reporting:download", {"args": ["board-report", "csv"]}),
        ("reporting:download", {"args": ["board-report", "xlsx"]}),
    ],
)
def test_query_count_is_the_same_at_two_sizes(
    client_for, world, personas, django_assert_num_queries, pdf_source, url, params, data_cache_off
):
    c = client_for(personas.administrator)
    path = reverse(url, **params)

    def get():
        r = c.get(path, {"as_at": AS_AT})
        assert r.status_code == 200
        if r.streaming:
            b"".join(r.streaming_content)

    get()  # sessions and caches warm
    with CaptureQueriesContext(connection) as small:
        get()
    _grow(personas, 6)
    with django_assert_num_queries(len(small.captured_queries)):
        get()


def test_names_are_escaped_in_the_page_svg_and_pdf(client_for, world, personas, monkeypatch, pdf_source):
    personas.programme.name = EVIL
    personas.programme.save()

    def evil(programme_ids, as_at):
        chart = charts.bar_chart(
            chart_id="evil-chart", title=f"Deliverables {EVIL}", desc=EVIL, columns=["Deliverable", "Done"],
            rows=[[EVIL, "1"]], bars=[(EVIL, Decimal(1), "1", charts.GREEN)],
        )  # fmt: skip
        section = BoardSection("deliverables", "Deliverables", [Column("name", "Deliverable"), Column("rag", "RAG", "rag")],
                               [[EVIL, "green"]], chart=chart, note=EVIL)  # fmt: skip
        return {programme_ids[0]: [section]}

    monkeypatch.setattr(board, "PROVIDERS", [evil])
    c = client_for(personas.administrator)
    html = _page(c)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    svg = html.split('data-chart="evil-chart"', 1)[1].split("</svg>", 1)[0]
    assert "&lt;script&gt;" in svg and "<script>" not in svg
    c.get(reverse("reporting:board_report_pdf"), {"as_at": AS_AT})
    assert "<script>alert" not in pdf_source[0] and "&lt;script&gt;" in pdf_source[0]


def test_text_in_the_csv_and_xlsx_cannot_run_as_a_formula(client_for, world, personas):
    personas.programme.name = '=HYPERLINK("http://evil.example")'
    personas.programme.save()
    c = client_for(personas.administrator)
    names = {d["Programme"] for d in _csv(c)}
    assert '\'=HYPERLINK("http://evil.example")' in names and personas.programme.name not in names
    wb = _xlsx(c)
    for ws in wb.worksheets:
        cells = [r[1].value for r in ws.iter_rows(min_row=2)]
        assert personas.programme.name not in cells and "'" + personas.programme.name in cells


def test_a_failing_provider_breaks_the_report_instead_of_hiding(client_for, world, personas, monkeypatch):
    def broken(programme_ids, as_at):
        raise RuntimeError("spend provider failed")

    monkeypatch.setattr(board, "PROVIDERS", [lambda ids, as_at: {}, broken])
    with pytest.raises(RuntimeError, match="spend provider failed"):
        _page(client_for(personas.administrator))


@pytest.mark.parametrize(
    "answer,error",
    [
        (lambda ids: {max(ids) + 999: []}, "which it was not asked about"),
        (
            lambda ids: {ids[0]: [BoardSection("x", "X", [Column("a", "A")], [["one", "two"]])]},
            "2 values for 1 columns",
        ),
        (lambda ids: {ids[0]: [BoardSection("x", "X", [Column("a", "A", "money")], [])]}, "unknown kind 'money'"),
    ],
)
def test_a_provider_answer_that_does_not_fit_is_refused(personas, world, answer, error):
    with pytest.raises(ValueError, match=error):
        board.board_report(user=personas.administrator, as_at=date(2019, 3, 31), providers=[lambda ids, _: answer(ids)])


def test_two_charts_with_one_id_are_refused(personas, world):
    def same_id(ids, as_at):
        chart = charts.bar_chart(chart_id="spend", title="t", desc="d", columns=[], rows=[], bars=[])
        return {pk: [BoardSection("spend", "Spend", [Column("a", "A")], [], chart=chart)] for pk in ids}

    with pytest.raises(ValueError, match="have the id 'spend'"):
        board.board_report(user=personas.administrator, as_at=date(2019, 3, 31), providers=[same_id])


@pytest.mark.parametrize(
    "value,kind,text",
    [
        (Decimal("1234.50"), "pounds", "£1,234.50"),
        (7253, "count", "7,253"),
        (61, "percent", "61%"),
        ("amber", "rag", "Amber"),
        ("", "rag", "Not reported"),
        (date(2019, 3, 31), "date", "31 March 2019"),
        (None, "pounds", ""),
    ],
)
def test_values_are_shown_as_the_board_reads_them(value, kind, text):
    assert board.shown(value, kind) == text


def test_background_export_writes_the_same_workbook(world, personas):
    """An XLSX export run in the background has the Overview and section sheets, like the download."""
    from django.core.files.storage import default_storage

    from grants.reporting import services
    from grants.reporting.models import ExportJob, ExportStatus

    job = ExportJob.objects.create(
        created_by=personas.administrator, table="board-report", fmt="xlsx", params={"as_at": AS_AT}
    )
    services.export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    with default_storage.open(job.file.name, "rb") as fh:
        wb = load_workbook(io.BytesIO(fh.read()))
    assert wb.sheetnames[:3] == ["Overview", "Money", "RAG status of awards"]
    (mine,) = [
        r
        for r in wb["Money"].iter_rows(min_row=2, values_only=True)
        if r[0] == personas.programme.code and r[2] == "Awarded"
    ]
    assert mine[3] == 50000


def test_long_csv_names_each_row_by_its_text_column(client_for, world, personas, monkeypatch):
    """A section of figures only (reach) has no row name; a list (deliverables) is named by its
    first text column even when a number comes first; every other column is a measure."""

    def parts(programme_ids, as_at):
        reach = BoardSection("reach", "Reach", [Column("councils", "Councils", "count"),
                             Column("share", "Share", "percent")], [[249, 70]])  # fmt: skip
        deliverables = BoardSection(
            "deliverables", "Deliverables",
            [Column("number", "Number", "count"), Column("name", "Deliverable"), Column("rag", "RAG set", "rag")],
            [[1, "Land for 3,000 homes", "green"], [2, "Asset register", "amber"]],
        )  # fmt: skip
        return {personas.programme.pk: [reach, deliverables]}

    monkeypatch.setattr(board, "PROVIDERS", [parts])
    c = client_for(personas.administrator)
    data = [(d["Section"], d["Row"], d["Measure"], d["Value"], d["Unit"]) for d in _csv(c)
            if d["Section"] in ("Reach", "Deliverables")]  # fmt: skip
    assert data == [
        ("Reach", "", "Councils", "249", "count"),
        ("Reach", "", "Share", "70", "percent"),
        ("Deliverables", "Land for 3,000 homes", "Number", "1", "count"),
        ("Deliverables", "Land for 3,000 homes", "RAG set", "Green", "rag"),
        ("Deliverables", "Asset register", "Number", "2", "count"),
        ("Deliverables", "Asset register", "RAG set", "Amber", "rag"),
    ]
    wb = _xlsx(c)
    reach = list(wb["Reach"].iter_rows(values_only=True))
    assert reach == [("Programme code", "Programme", "Councils", "Share"),
                     (personas.programme.code, personas.programme.name, 249, pytest.approx(0.7))]  # fmt: skip
    assert [r[3:] for r in wb["Deliverables"].iter_rows(min_row=2, values_only=True)] == [
        ("Land for 3,000 homes", "Green"), ("Asset register", "Amber")
    ]  # fmt: skip
