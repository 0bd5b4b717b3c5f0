"""Saving imported history through the award services: preview keeps nothing, confirm keeps it all
with audit rows and committed money, and importing the same file again changes nothing."""

from datetime import date
from decimal import Decimal

import pytest

from grants.awards.imports import import_file
from grants.awards.models import Award, FundReturn, MonitoringReturn, RoundOutput
from grants.awards.selectors import round_committed
from grants.models import AuditEvent

from .importing import AWARD_HEADINGS, award_row, awards_book, workbook

pytestmark = pytest.mark.django_db


def _full_book(personas, amount="£20,000"):
    return workbook({
        "Awards": [AWARD_HEADINGS, award_row(personas, "CS1-1", amount=amount, Partners="MDX"), award_row(personas, "CS1-2")],
        "Payments": [["Award reference", "Tranche", "Amount", "Due on", "Paid on", "Payment reference"],
                     ["CS1-1", 1, 15000, "2019-05-01", "2019-05-03", "BACS-1"], ["CS1-1", 2, "5000", "2020-05-01", None, None]],
        "Returns": [["Award reference", "Period", "Period start", "Period end", "Sent on", "RAG", "Commentary", "Output: homes"],
                    ["CS1-1", "2019/20 Q1", "2019-04-01", "2019-06-30", "2019-07-20", "Green", "On track", 12]],
        "Returned funds": [["Award reference", "Amount", "Returned on", "Reason"], ["CS1-1", "1000", "2021-01-05", "Underspend"]],
    })  # fmt: skip


def _import(personas, book, confirm=True, actor=None):
    return import_file(book, filename="history.xlsx", actor=actor, confirm=confirm)


def test_preview_saves_nothing(personas):
    RoundOutput.objects.create(round=personas.round, kind="homes", unit="count")
    audits = AuditEvent.objects.count()
    result = _import(personas, _full_book(personas), confirm=False)
    assert result.errors == [] and not result.saved
    assert (result.created, result.updated, result.unchanged) == (6, 0, 0)
    assert result.summary == "6 to create, 0 to update, 0 unchanged, 0 errors"
    assert not Award.objects.exists() and AuditEvent.objects.count() == audits


def test_confirm_saves_everything_then_reimport_changes_nothing(personas):
    RoundOutput.objects.create(round=personas.round, kind="homes", unit="count")
    result = _import(personas, _full_book(personas), actor=personas.programme_manager)
    assert result.saved and result.errors == [] and result.created == 6
    award = Award.objects.get(reference="CS1-1")
    assert award.is_historic and award.created_by == personas.programme_manager
    assert list(award.partners.all()) == [personas.partner_org]
    assert round_committed(round=personas.round) == Decimal("40000.00")
    paid, planned = award.tranches.all()
    assert (paid.status, paid.paid_on, paid.payment_reference, planned.status) == (
        "paid",
        date(2019, 5, 3),
        "BACS-1",
        "planned",
    )
    mreturn = MonitoringReturn.objects.get(award=award, period__title="2019/20 Q1")
    assert (mreturn.status, mreturn.rag, mreturn.values.get().value) == ("approved", "green", Decimal("12.00"))
    assert FundReturn.objects.get(award=award).amount == Decimal("1000.00")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "award.historic",
        "award.historic_payment",
        "award.historic_return",
        "award.historic_funds_returned",
    } <= actions
    audits, awards = AuditEvent.objects.count(), Award.objects.count()
    again = _import(personas, _full_book(personas), actor=personas.programme_manager)
    assert again.saved and (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert AuditEvent.objects.count() == audits and Award.objects.count() == awards


def test_a_changed_amount_updates_the_award_with_an_audit_row(personas):
    _import(personas, awards_book(personas, award_row(personas, "CS1-1")))
    result = _import(personas, awards_book(personas, award_row(personas, "CS1-1", amount="25000")))
    assert result.updated == 1 and result.rows[0].outcome == "updated"
    assert Award.objects.get(reference="CS1-1").amount == Decimal("25000.00")
    event = AuditEvent.objects.get(action="award.historic_updated")
    assert "amount 20000.00 to 25000.00" in event.summary


def test_past_the_budget_is_a_row_error_and_nothing_is_saved(personas):
    personas.round.budget, personas.round.max_award = Decimal("30000.00"), Decimal("30000.00")
    personas.round.save()
    book = awards_book(personas, award_row(personas, "CS1-1"), award_row(personas, "CS1-2"))
    result = _import(personas, book)
    assert not result.saved and not Award.objects.exists()
    assert result.rows[0].outcome == "created" and result.rows[1].outcome == "error"
    assert result.errors[0].startswith("row 3, column 'amount': this award would commit £40,000")


def test_every_error_names_its_row_and_column(personas):
    book = workbook({
        "Awards": [AWARD_HEADINGS, award_row(personas, "CS1-1", amount="12.345", **{"Award date": "April"}),
                   award_row(personas, "CS1-1", Programme="nope"), award_row(personas, "CS1-3", Status="lost", Title=None)],
        "Payments": [["Award reference", "Tranche", "Amount"], ["CS9-9", 1, 10]],
    })  # fmt: skip
    result = _import(personas, book)
    assert not result.saved and result.errors == [
        "row 2, column 'amount': '12.345' has more than 2 decimal places",
        "row 2, column 'award date': 'April' is not a date: use 2019-04-01 or 01/04/2019",
        "row 3, column 'programme': no programme is called 'nope'",
        "row 4, column 'title': enter the title",
        "row 4, column 'status': 'lost' is not a status: use active, completed, withdrawn or terminated",
        "Payments, row 2, column 'award reference': no award has the reference 'CS9-9' (in this file or saved before)",
    ]


def test_a_person_must_manage_every_rows_programme(personas):
    result = _import(personas, awards_book(personas, award_row(personas)), actor=personas.other_programme_manager)
    assert not result.saved and "column 'programme': you do not manage" in result.errors[0]
