"""Reading history files: xlsx and csv, and the files that cannot be read (a message, never a 500)."""

import io

import pytest

from grants.awards.imports import import_file
from grants.awards.imports.reading import ImportFileError, read_file

from .importing import AWARD_HEADINGS, award_row, awards_book, workbook

pytestmark = pytest.mark.django_db


def test_xlsx_headings_match_loosely_and_people_columns_are_ignored(personas):
    book = workbook({"AWARDS": [["reference", "PROGRAMME", "round", "Lead", "title", "amount", "award_date", "Notes"],
                                ["CS1-1", "p", "r", "KEX", "T", 10, "2019-04-01", "anything"], [None] * 8]})  # fmt: skip
    sheets = read_file(book, filename="history.xlsx")
    assert [n for n, _ in sheets["awards"].rows] == [2]  # the empty row is skipped
    assert "notes" not in sheets["awards"].rows[0][1]


def test_csv_holds_the_awards_sheet(personas):
    text = ",".join(AWARD_HEADINGS) + "\n" + ",".join(award_row(personas, amount="1234.5")) + "\n"
    result = import_file(io.BytesIO(text.encode()), filename="awards.csv", actor=None, confirm=False)
    assert result.errors == [] and result.created == 1 and not result.saved


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"%PDF-1.4 not a sheet", "history.xlsx", "not an Excel workbook"),
        (b"hello", "history.xlsx", "not an Excel workbook"),
        (b"hello", "history.txt", "must be an Excel workbook"),
        (b"", "history.csv", "empty"),
        (b"Reference,Programme\nA,B\n", "history.csv", "no 'round'"),
        (b"Reference,Programme,Round,Lead,Title,Amount,Award date,Colour\n", "history.csv", "'Colour'"),
    ],
)
def test_bad_files_say_why(personas, data, filename, words):
    result = import_file(io.BytesIO(data), filename=filename, actor=None, confirm=True)
    assert not result.saved and result.rows == []
    assert words in result.errors[0]
    # Never the upload check's list of other kinds of file this page does not take.
    assert "PDF, DOCX" not in " ".join(result.errors)


def test_workbook_without_an_awards_sheet(personas):
    with pytest.raises(ImportFileError, match="no sheet called 'Awards'"):
        read_file(workbook({"Grants": [["Reference"]]}), filename="h.xlsx")


def test_too_big(personas, monkeypatch):
    monkeypatch.setattr("grants.awards.imports.reading.MAX_BYTES", 100)
    result = import_file(awards_book(personas, award_row(personas)), filename="h.xlsx", actor=None, confirm=False)
    assert "smaller than" in result.errors[0]
