"""Benefits after closure (issue 17): the schedule is made once, at completion, for the years the
round asks; the lead council sends each year's return after the year ends; the manager reviews;
totals realised against projected. Run on SQLite and PostgreSQL."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from grants.awards import services as s
from grants.awards.benefits_selectors import award_benefits, benefits_over
from grants.awards.models import Award, AwardStatus, BenefitsReturn, ReturnStatus
from grants.awards.reminders import benefits_reminders
from grants.models import AuditEvent
from tests.awards.factories import AwardFactory

LONDON = ZoneInfo("Europe/London")
D = Decimal


def _completed(personas, *, years=4, closed_on: date | None = None) -> Award:
    personas.round.benefits_years = years
    personas.round.save(update_fields=["benefits_years"])
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    award.closure_report = "Done."
    award.save()
    s.award_close(award=award, actor=personas.programme_manager)
    award.refresh_from_db()
    if closed_on:  # as if closed that day: re-make the schedule from it
        Award.objects.filter(pk=award.pk).update(closed_at=datetime.combine(closed_on, datetime.min.time(), LONDON))
        BenefitsReturn.objects.filter(award=award).delete()
        award.refresh_from_db()
        s.benefits_schedule_create(award=award)
    return award


def test_closing_an_award_schedules_one_return_per_benefit_year(personas):
    award = _completed(personas, years=4)
    today = timezone.localdate()
    rows = list(award.benefits_returns.order_by("year"))
    assert [r.year for r in rows] == [1, 2, 3, 4]
    assert rows[0].period_start == today + timedelta(days=1)
    assert all(r.status == ReturnStatus.DUE for r in rows)
    assert all(b.period_start == a.period_end + timedelta(days=1) for a, b in zip(rows, rows[1:], strict=False))
    assert all(r.due_on == r.period_end + timedelta(weeks=8) for r in rows)


def test_generation_is_idempotent(personas):
    award = _completed(personas, years=3)
    assert s.benefits_schedule_create(award=award) == 0
    assert s.benefits_schedule_create(award=award) == 0
    assert award.benefits_returns.count() == 3


def test_the_database_refuses_a_second_return_for_the_same_year(personas):
    award = _completed(personas, years=1)
    first = award.benefits_returns.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        BenefitsReturn.objects.create(
            award=award, year=1, period_start=first.period_start, period_end=first.period_end, due_on=first.due_on
        )


def test_no_returns_for_a_round_that_asks_for_none(personas):
    award = _completed(personas, years=0)
    assert award.status == AwardStatus.COMPLETED
    assert award.benefits_returns.count() == 0


@pytest.mark.parametrize("status", [AwardStatus.WITHDRAWN, AwardStatus.TERMINATED, AwardStatus.ACTIVE])
def test_no_returns_for_an_award_that_did_not_complete(personas, status):
    personas.round.benefits_years = 4
    personas.round.save()
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=status, closed_at=timezone.now())
    assert s.benefits_schedule_create(award=award) == 0
    assert award.benefits_returns.count() == 0


def test_terminating_schedules_nothing(personas):
    personas.round.benefits_years = 2
    personas.round.save()
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    s.award_end(award=award, actor=personas.programme_manager, to=AwardStatus.TERMINATED, reason="Stopped")
    assert award.benefits_returns.count() == 0


def test_dates_across_a_leap_year():
    rows = s.benefits_periods(completed_on=date(2024, 2, 29), years=4)
    assert [(n, a, b) for n, a, b, _ in rows] == [
        (1, date(2024, 3, 1), date(2025, 2, 28)),
        (2, date(2025, 3, 1), date(2026, 2, 28)),
        (3, date(2026, 3, 1), date(2027, 2, 28)),
        (4, date(2027, 3, 1), date(2028, 2, 29)),
    ]
    assert rows[0][3] == date(2025, 4, 25)  # eight weeks after 28 February 2025
    # A year that holds 29 February is a day longer, with no gap or overlap.
    rows = s.benefits_periods(completed_on=date(2023, 3, 31), years=2)
    assert [(a, b) for _, a, b, _ in rows] == [
        (date(2023, 4, 1), date(2024, 3, 31)),
        (date(2024, 4, 1), date(2025, 3, 31)),
    ]
    assert (rows[0][2] - rows[0][1]).days == 365


def test_schedule_made_from_a_leap_day_completion(personas):
    award = _completed(personas, years=2, closed_on=date(2024, 2, 29))
    assert list(award.benefits_returns.values_list("period_end", flat=True)) == [date(2025, 2, 28), date(2026, 2, 28)]


def _values(**kw):
    return {"savings": "1000", "income": "200", "costs_avoided": "30", **kw}


def test_council_cannot_send_before_the_year_ends(personas):
    award = _completed(personas, years=1)
    b = award.benefits_returns.get()
    with pytest.raises(s.AwardError, match="You can send this return from"):
        s.benefits_return_submit(breturn=b, actor=personas.lead_officer, **_values())


def test_send_review_and_totals(personas):
    award = _completed(personas, years=2, closed_on=date(2020, 3, 31))
    s.benefits_projection_set(
        award=award, actor=personas.programme_manager, savings=D("5000"), income=D("1000"), costs_avoided=D("0")
    )
    y1, y2 = award.benefits_returns.order_by("year")
    with pytest.raises(s.AwardError):
        s.benefits_return_submit(breturn=y1, actor=personas.partner_officer, **_values())
    with pytest.raises(s.AwardError) as refused:
        s.benefits_return_submit(breturn=y1, actor=personas.lead_officer, **_values(income=""))
    assert "income" in refused.value.message_dict
    s.benefits_return_submit(breturn=y1, actor=personas.lead_officer, **_values())
    s.benefits_return_request_changes(breturn=y1, actor=personas.programme_manager, reason="Split savings")
    s.benefits_return_submit(breturn=y1, actor=personas.lead_officer, **_values(savings="1500"))
    s.benefits_return_approve(breturn=y1, actor=personas.programme_manager)
    y1.refresh_from_db()
    assert (y1.status, y1.submission_count, y1.submitted_by) == (ReturnStatus.APPROVED, 2, personas.lead_officer)
    b = award_benefits(award=award)
    assert b.realised == {"savings": D("1500"), "income": D("200"), "costs_avoided": D("30")}
    assert b.projected["savings"] == D("5000") and b.sent == 1 and b.overdue == 1  # year 2 is overdue
    over = benefits_over(Award.objects.filter(pk=award.pk))
    assert over.realised == b.realised and over.projected == b.projected and (over.sent, over.overdue) == (1, 1)
    assert AuditEvent.objects.filter(action="benefits.approved", target_id=str(award.pk)).count() == 1
    assert y2.status == ReturnStatus.DUE


def test_only_the_manager_sets_projection_and_years(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    with pytest.raises(s.AwardError, match="no benefits returns"):
        s.benefits_projection_set(award=award, actor=personas.programme_manager, savings=1, income=1, costs_avoided=1)
    with pytest.raises(s.AwardError):
        s.benefits_years_set(round=personas.round, actor=personas.lead_officer, years=2)
    with pytest.raises(s.AwardError):
        s.benefits_years_set(round=personas.round, actor=personas.programme_manager, years=11)
    s.benefits_years_set(round=personas.round, actor=personas.programme_manager, years=4)
    award.round.refresh_from_db()
    with pytest.raises(s.AwardError):
        s.benefits_projection_set(award=award, actor=personas.lead_officer, savings=1, income=1, costs_avoided=1)
    s.benefits_projection_set(award=award, actor=personas.programme_manager, savings=1, income=2, costs_avoided=3)
    assert award_benefits(award=award).projected["costs_avoided"] == D("3")


def test_reminders_go_once_per_stage(personas):
    award = _completed(personas, years=1, closed_on=date(2020, 3, 31))
    b = award.benefits_returns.get()
    day_before = datetime.combine(b.due_on - timedelta(days=3), datetime.min.time(), LONDON).replace(hour=9)
    found = list(benefits_reminders(day_before))
    assert {(r.recipient, r.event) for r in found} == {
        (personas.lead_officer, "return_due"),
        (personas.signatory, "return_due"),
    }
    assert len({r.dedupe_key for r in found}) == 1  # same key for both: one each, unique per recipient
    assert list(benefits_reminders(day_before + timedelta(days=1))) == []
    late = list(benefits_reminders(day_before + timedelta(days=4)))
    assert {r.event for r in late} == {"overdue"}
    s.benefits_return_submit(breturn=b, actor=personas.lead_officer, **_values())
    assert list(benefits_reminders(day_before + timedelta(days=4))) == []


def test_reminder_sent_exactly_once(personas):
    from notifications.models import Notification
    from notifications.reminders import send_due

    award = _completed(personas, years=1, closed_on=date(2020, 3, 31))
    b = award.benefits_returns.get()
    at = datetime.combine(b.due_on + timedelta(days=1), datetime.min.time(), LONDON).replace(hour=9)
    send_due(now=at)
    overdue = Notification.objects.filter(recipient=personas.lead_officer, event="overdue")
    first = overdue.count()
    assert first == 2  # one email and one in the service
    send_due(now=at + timedelta(hours=1))  # found again the same day: not sent again
    assert overdue.count() == first


def test_council_sends_on_the_page_and_errors_keep_input(client, personas):
    award = _completed(personas, years=1, closed_on=date(2020, 3, 31))
    b = award.benefits_returns.get()
    url = reverse("awards:benefits_return", args=[award.pk, b.pk])
    client.force_login(personas.lead_officer)
    page = client.post(url, {"savings": "1,250", "income": "", "costs_avoided": "-4", "commentary": "Our sums"})
    body = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in body
    assert 'value="1,250"' in body and "Our sums" in body
    done = client.post(url, {"savings": "1,250", "income": "0", "costs_avoided": "4", "commentary": "Our sums"})
    assert done.status_code == 302
    b.refresh_from_db()
    assert (b.status, b.savings) == (ReturnStatus.SUBMITTED, D("1250"))
    detail = client.get(reverse("awards:detail", args=[award.pk])).content.decode()
    assert "Benefits after the project" in detail and "£1,250" in detail


def test_council_page_before_the_year_ends_says_when(client, personas):
    award = _completed(personas, years=1)
    b = award.benefits_returns.get()
    client.force_login(personas.lead_officer)
    body = client.get(reverse("awards:benefits_return", args=[award.pk, b.pk])).content.decode()
    assert "You can send this return from" in body and 'name="savings"' not in body


def test_round_page_sets_years_with_errors_on_page(client, personas):
    client.force_login(personas.programme_manager)
    url = reverse("awards:round_monitoring", args=[personas.round.slug])
    bad = client.post(url, {"set_benefits": "1", "benefits_years": "eleven"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()
    assert client.post(url, {"set_benefits": "1", "benefits_years": "4"}).status_code == 302
    personas.round.refresh_from_db()
    assert personas.round.benefits_years == 4


def test_home_pages_list_benefits_returns(client, personas):
    from grants.reporting.home import home_for

    award = _completed(personas, years=1, closed_on=date(2020, 3, 31))
    b = award.benefits_returns.get()
    council = home_for(user=personas.lead_officer).council
    assert [i.what for i in council.due] == ["Benefits return: year 1"]
    assert council.due[0].overdue and council.due[0].url == reverse("awards:benefits_return", args=[award.pk, b.pk])
    assert home_for(user=personas.partner_officer).council.due == []  # partners read it, the lead sends it
    s.benefits_return_submit(breturn=b, actor=personas.lead_officer, **_values())
    items = {i.label: i for i in home_for(user=personas.programme_manager).manager}
    assert items["Benefits returns to review"].count == 1
    assert items["Benefits returns to review"].url.endswith("/monitoring/#benefits")
    assert "Benefits returns to review" not in {
        i.label for i in home_for(user=personas.other_programme_manager).manager or []
    }
    client.force_login(personas.programme_manager)
    page = client.get(reverse("awards:round_monitoring", args=[personas.round.slug])).content.decode()
    assert "Year 1" in page and "1 of 1 benefits return sent" in page


def test_pages_show_realised_against_projected(client, personas):
    award = _completed(personas, years=2, closed_on=date(2020, 3, 31))
    s.benefits_projection_set(award=award, actor=personas.programme_manager, savings=9000, income=0, costs_avoided=0)
    y1 = award.benefits_returns.get(year=1)
    s.benefits_return_submit(breturn=y1, actor=personas.lead_officer, **_values(savings="4500"))
    client.force_login(personas.programme_manager)
    portfolio = client.get(reverse("awards:portfolio")).content.decode()
    assert "Realised to date against projected" in portfolio and "£4,500" in portfolio and "£9,000" in portfolio
    award.partners.add(personas.partner_org)
    client.force_login(personas.partner_officer)
    detail = client.get(reverse("awards:detail", args=[award.pk])).content.decode()
    assert "£4,500" in detail and "£9,000" in detail and "Set projected benefits" not in detail


def test_council_gives_expected_benefits_with_its_end_of_project_report(client, personas):
    personas.round.benefits_years = 3
    personas.round.save()
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    url = reverse("awards:closure", args=[award.pk])
    client.force_login(personas.lead_officer)
    bad = client.post(url, {"closure_report": "Our report", "savings": "12,000", "income": "", "costs_avoided": "0"})
    body = bad.content.decode()
    assert bad.status_code == 200 and "govuk-error-summary" in body and 'value="12,000"' in body
    assert not award.closure_report and award_benefits(award=award).has_projection is False
    good = {"closure_report": "Our report", "savings": "12,000", "income": "3000", "costs_avoided": "0"}
    assert client.post(url, good).status_code == 302
    b = award_benefits(award=award)
    assert b.projected == {"savings": D("12000"), "income": D("3000"), "costs_avoided": D("0")}
    assert AuditEvent.objects.filter(action="award.benefits_projected", summary__contains="end-of-project").exists()
    # A round that asks for none keeps the report page as it was.
    personas.round.benefits_years = 0
    personas.round.save()
    assert 'name="savings"' not in client.get(url).content.decode()


def test_manager_reviews_on_the_page(client, personas):
    award = _completed(personas, years=1, closed_on=date(2020, 3, 31))
    award.partners.add(personas.partner_org)
    b = award.benefits_returns.get()
    s.benefits_return_submit(breturn=b, actor=personas.lead_officer, **_values())
    url = reverse("awards:benefits_return", args=[award.pk, b.pk])
    client.force_login(personas.partner_officer)
    assert client.get(url).status_code == 200
    assert client.post(url, {"decision": "approve"}).status_code == 404  # reads it, decides nothing
    client.force_login(personas.programme_manager)
    missing = client.post(url, {"decision": "changes", "reason": ""})
    assert missing.status_code == 200 and "Enter what the council needs to change" in missing.content.decode()
    assert client.post(url, {"decision": "approve"}).status_code == 302
    b.refresh_from_db()
    assert b.status == ReturnStatus.APPROVED and b.reviewed_by == personas.programme_manager


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_benefits_pages_cost_the_same_whatever_the_number_of_awards(client, personas):
    _completed(personas, years=2, closed_on=date(2020, 3, 31))
    client.force_login(personas.programme_manager)
    pages = [reverse("awards:round_monitoring", args=[personas.round.slug]), reverse("awards:portfolio")]
    few = [_queries(client, url) for url in pages]
    for _ in range(6):
        award = AwardFactory(
            round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE, closure_report="x"
        )
        s.award_close(award=award, actor=personas.programme_manager)
        s.benefits_projection_set(award=award, actor=personas.programme_manager, savings=1, income=1, costs_avoided=1)
    assert [_queries(client, url) for url in pages] == few


def test_setting_the_same_years_or_projection_again_records_nothing(db):
    """Saving a form unchanged (or seeding the demo twice) must not add audit lines."""
    from grants.awards.services.benefits import benefits_projection_set, benefits_years_set
    from grants.models import AuditEvent

    award = AwardFactory(status=AwardStatus.ACTIVE)
    benefits_years_set(round=award.round, actor=None, years=2)
    benefits_projection_set(award=award, actor=None, savings="100", income="0", costs_avoided="0")
    before = AuditEvent.objects.count()
    benefits_years_set(round=award.round, actor=None, years=2)
    benefits_projection_set(award=award, actor=None, savings="100.00", income="0", costs_avoided="0")
    assert AuditEvent.objects.count() == before
    benefits_projection_set(award=award, actor=None, savings="200", income="0", costs_avoided="0")
    assert AuditEvent.objects.count() == before + 1
