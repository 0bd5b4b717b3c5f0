"""A round opens with its schedule of returns: publishing a round without one (grants.services.
round_save, the one way a round is opened) builds the default from its dates, which the manager
sees plainly on the monitoring page and can change; a round that opened without one says so there
and offers the default."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from grants.awards import services as s
from grants.awards.models import AwardStatus, ReturnPeriod, ReturnStatus
from grants.services import round_save
from tests import factories as f

from .factories import AwardFactory, ReturnPeriodFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# A 2026/27 round, decided on 14 August 2026.
ROUND_DATES = {
    "financial_year": 2026,
    "opens_at": datetime(2026, 5, 1, 9, 0, tzinfo=LONDON),
    "closes_at": datetime(2026, 6, 30, 17, 0, tzinfo=LONDON),
    "decision_date": date(2026, 8, 14),
}
EXPECTED = [
    ("Quarter 2 2026/27", date(2026, 8, 15), date(2026, 9, 30), date(2026, 10, 31)),
    ("Quarter 3 2026/27", date(2026, 10, 1), date(2026, 12, 31), date(2027, 1, 31)),
    ("Quarter 4 2026/27", date(2027, 1, 1), date(2027, 3, 31), date(2027, 4, 30)),
    ("Quarter 1 2027/28", date(2027, 4, 1), date(2027, 6, 30), date(2027, 7, 31)),
    ("Quarter 2 2027/28", date(2027, 7, 1), date(2027, 9, 30), date(2027, 10, 31)),
    ("Final return", date(2026, 8, 15), date(2027, 9, 30), date(2027, 11, 30)),
]


def _schedule(rnd) -> list[tuple]:
    return list(ReturnPeriod.objects.filter(round=rnd).values_list("title", "period_start", "period_end", "due_on"))


def _draft_round(personas, **extra):
    fields = {
        "programme": personas.programme,
        "name": "Digital Inclusion 2026/27",
        "slug": "digital-inclusion-2026-27",
        "reference_prefix": "DI27",
        "budget": Decimal("400000"),
        "min_award": Decimal("20000"),
        "max_award": Decimal("50000"),
        **ROUND_DATES,
        **extra,
    }
    return round_save(actor=personas.programme_manager, **fields)


def test_publishing_a_round_builds_the_default_schedule_from_its_dates(personas):
    rnd = _draft_round(personas, published=False)
    assert _schedule(rnd) == []  # a draft round has none yet
    round_save(actor=personas.programme_manager, round=rnd, published=True)
    assert _schedule(rnd) == EXPECTED
    # Saving the open round again changes nothing.
    round_save(actor=personas.programme_manager, round=rnd, name="Digital Inclusion 2026 to 2027")
    assert _schedule(rnd) == EXPECTED


def test_a_round_created_open_gets_it_too_and_without_a_decision_date_starts_after_the_close(personas):
    rnd = _draft_round(personas, published=True, decision_date=None)
    schedule = _schedule(rnd)
    assert schedule[0] == ("Quarter 2 2026/27", date(2026, 7, 1), date(2026, 9, 30), date(2026, 10, 31))
    assert schedule[-1] == ("Final return", date(2026, 7, 1), date(2027, 6, 30), date(2027, 8, 31))


def test_a_round_with_a_schedule_keeps_it_when_published(personas):
    rnd = _draft_round(personas, published=False)
    own = ReturnPeriodFactory(round=rnd, title="Annual return", period_end=date(2027, 3, 31))
    round_save(actor=personas.programme_manager, round=rnd, published=True)
    assert list(ReturnPeriod.objects.filter(round=rnd)) == [own]


def test_the_monitoring_page_shows_the_schedule_plainly_with_a_way_to_change_it(personas, client_for):
    rnd = _draft_round(personas, published=True)
    page = client_for(personas.programme_manager).get(reverse("awards:round_monitoring", args=[rnd.slug]))
    body = page.content.decode()
    assert "Quarter 2 2026/27" in body and "Final return" in body
    period = ReturnPeriod.objects.get(round=rnd, title="Final return")
    assert reverse("awards:return_period_edit", args=[rnd.slug, period.pk]) in body
    # The form to add a return is on the page, not folded away in a details element.
    add = body.index('name="add_period"')
    assert "<details" not in body[:add]


def test_the_manager_changes_and_removes_a_default_return(personas, client_for):
    rnd = _draft_round(personas, published=True)
    period = ReturnPeriod.objects.get(round=rnd, title="Final return")
    url = reverse("awards:return_period_edit", args=[rnd.slug, period.pk])
    c = client_for(personas.programme_manager)
    form = {
        "title": "End-of-project return",
        "period_start_0": "15",
        "period_start_1": "8",
        "period_start_2": "2026",
        "period_end_0": "31",
        "period_end_1": "3",
        "period_end_2": "2028",
        "due_on_0": "30",
        "due_on_1": "4",
        "due_on_2": "2028",
    }
    assert c.post(url, form).status_code == 302
    period.refresh_from_db()
    assert (period.title, period.period_end, period.due_on) == (
        "End-of-project return",
        date(2028, 3, 31),
        date(2028, 4, 30),
    )
    q2 = ReturnPeriod.objects.get(round=rnd, title="Quarter 2 2027/28")
    assert c.post(reverse("awards:return_period_edit", args=[rnd.slug, q2.pk]), {"remove": ""}).status_code == 302
    assert not ReturnPeriod.objects.filter(pk=q2.pk).exists()
    # Other staff may read the schedule but not change it.
    assert client_for(personas.board_viewer).get(url).status_code == 404


def test_a_return_a_council_has_started_stays(personas):
    rnd = _draft_round(personas, published=True)
    award = AwardFactory(round=rnd, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    s.returns_create(award=award)
    period = ReturnPeriod.objects.get(round=rnd, title="Quarter 2 2026/27")
    mreturn = award.returns.get(period=period)
    s.return_save_draft(mreturn=mreturn, actor=personas.lead_officer, commentary="Started", values={})
    with pytest.raises(s.AwardError, match="has started its return"):
        s.return_period_remove(period=period, actor=personas.programme_manager)
    # Nor does the period it reports on move once a council has sent it.
    mreturn.status = ReturnStatus.SUBMITTED
    mreturn.save()
    with pytest.raises(s.AwardError, match="cannot change"):
        s.return_period_change(
            period=period,
            actor=personas.programme_manager,
            title=period.title,
            period_start=period.period_start,
            period_end=date(2026, 10, 31),
            due_on=period.due_on,
        )


def test_a_round_that_opened_without_one_warns_and_offers_the_default(personas, client_for):
    """Rounds opened before this guard (or outside round_save): no data migration guesses their
    schedule; the monitoring page says what is missing and sets the default on the manager's word,
    giving the round's live awards their returns."""
    rnd = f.RoundFactory(programme=personas.programme, **ROUND_DATES)  # opened without round_save
    award = AwardFactory(round=rnd, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    url = reverse("awards:round_monitoring", args=[rnd.slug])
    c = client_for(personas.programme_manager)
    # The award says it has no returns, and shows the manager the way to the schedule.
    detail = c.get(reverse("awards:detail", args=[award.pk])).content.decode()
    assert f'href="{url}">Set the round\'s schedule of returns' in detail.replace("&#x27;", "'")
    body = c.get(url).content.decode()
    assert "This round has no schedule of returns" in body and "Set the default schedule" in body
    assert c.post(url, {"set_default": ""}).status_code == 302
    assert _schedule(rnd) == EXPECTED
    assert award.returns.count() == len(EXPECTED)
    body = c.get(url).content.decode()
    assert "This round has no schedule of returns" not in body
    # A viewer who may not change it is told, and offered nothing.
    viewer = client_for(personas.board_viewer).get(
        reverse("awards:round_monitoring", args=[f.RoundFactory(programme=personas.programme).slug])
    )
    assert "This round has no schedule of returns" in viewer.content.decode()
    assert "Set the default schedule" not in viewer.content.decode()
