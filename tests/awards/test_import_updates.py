"""Importing over what is saved: statuses move through the status machine, a due return is
approved as history, a planned tranche becomes paid, and nothing moves backwards."""

from datetime import date

import pytest

from grants.awards.imports import import_file
from grants.awards.models import Award, MonitoringReturn, ReturnPeriod
from grants.models import AuditEvent

from .importing import AWARD_HEADINGS, award_row, awards_book, workbook

pytestmark = pytest.mark.django_db
RETURNS = ["Award reference", "Period", "Period start", "Period end", "Sent on", "RAG", "Commentary"]


def _import(book):
    return import_file(book, filename="h.xlsx", actor=None, confirm=True)


def test_status_moves_forward_only(personas):
    _import(awards_book(personas, award_row(personas, "CS1-1")))
    result = _import(awards_book(personas, award_row(personas, "CS1-1", Status="Completed")))
    assert result.saved and result.updated == 1
    assert Award.objects.get().status == "completed"
    assert AuditEvent.objects.filter(action="award.completed").count() == 1
    back = _import(awards_book(personas, award_row(personas, "CS1-1", Status="active")))
    assert not back.saved and back.errors[0].startswith("row 2, column 'status': ")
    assert Award.objects.get().status == "completed"


def test_a_due_return_is_approved_and_a_planned_tranche_paid(personas):
    ReturnPeriod.objects.create(round=personas.round, title="2019/20 Q1", period_start=date(2019, 4, 1),
                                period_end=date(2019, 6, 30), due_on=date(2019, 7, 30))  # fmt: skip
    _import(awards_book(personas, award_row(personas, "CS1-1")))
    assert MonitoringReturn.objects.get().status == "due"  # the round's schedule, as for a typed award
    book = workbook({
        "Awards": [AWARD_HEADINGS, award_row(personas, "CS1-1")],
        "Payments": [["Award reference", "Tranche", "Amount", "Paid on", "Payment reference"], ["CS1-1", 1, 20000, "2019-05-01", "B-1"]],
        "Returns": [RETURNS, ["CS1-1", "2019/20 Q1", "2019-04-01", "2019-06-30", "2019-07-02", "Amber", "Late start"]],
    })  # fmt: skip
    result = _import(book)
    assert result.saved and (result.unchanged, result.updated) == (1, 2)
    mreturn = MonitoringReturn.objects.get()
    assert (mreturn.status, mreturn.rag, mreturn.commentary) == ("approved", "amber", "Late start")
    tranche = Award.objects.get().tranches.get()
    assert (tranche.status, tranche.paid_on, tranche.payment_reference) == ("paid", date(2019, 5, 1), "B-1")
    audits = AuditEvent.objects.count()
    book.seek(0)
    assert _import(book).unchanged == 3 and AuditEvent.objects.count() == audits


def test_an_excel_day_number_is_a_date(personas):
    result = _import(awards_book(personas, award_row(personas, "CS1-1", **{"Award date": 43556})))
    assert result.saved and Award.objects.get().award_date == date(2019, 4, 1)
