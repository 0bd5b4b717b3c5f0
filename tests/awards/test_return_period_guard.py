"""A return can be sent only once its period has ended; a draft can be saved at any time.

The guard is in the service (`return_submit`), so the page, and anything else that sends a return,
meets it; the page says the date and offers only "Save draft" until then."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from grants.awards import services as s
from grants.awards.models import AwardStatus, Rag, ReturnStatus

from .factories import AwardFactory, ReturnPeriodFactory, RoundOutputFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
DURING = datetime(2026, 6, 30, 17, 0, tzinfo=LONDON)  # the last day of the period
AFTER = datetime(2026, 7, 1, 9, 0, tzinfo=LONDON)  # the first day after it


@pytest.fixture
def mreturn(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    ReturnPeriodFactory(
        round=personas.round,
        title="Quarter 1 2026/27",
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
        due_on=date(2026, 7, 31),
    )
    s.returns_create(award=award)
    return award.returns.get()


def _send(personas, mreturn):
    return s.return_submit(mreturn=mreturn, actor=personas.lead_officer, rag=Rag.GREEN, commentary="", values={})


def test_the_service_refuses_a_return_before_its_period_ends(personas, mreturn):
    with time_machine.travel(DURING, tick=False):
        with pytest.raises(s.AwardError) as exc:
            _send(personas, mreturn)
    assert exc.value.messages == ["You can send this return from 1 July 2026"]
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.DUE and mreturn.submission_count == 0
    with time_machine.travel(AFTER, tick=False):
        _send(personas, mreturn)
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.SUBMITTED


def test_a_draft_saves_before_the_period_ends_and_is_not_sent(personas, mreturn):
    output = RoundOutputFactory(round=personas.round)
    with time_machine.travel(DURING, tick=False):
        s.return_save_draft(
            mreturn=mreturn, actor=personas.lead_officer, rag="", commentary=" Half way ", values={output.pk: "1200"}
        )
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.DUE and mreturn.submitted_at is None
    assert mreturn.commentary == "Half way"
    assert mreturn.values.get().value == Decimal("1200")


def test_a_draft_is_only_for_a_return_never_sent(personas, mreturn):
    with time_machine.travel(AFTER, tick=False):
        _send(personas, mreturn)
        with pytest.raises(s.AwardError):
            s.return_save_draft(mreturn=mreturn, actor=personas.lead_officer, commentary="x", values={})


def test_only_the_lead_council_saves_a_draft(personas, mreturn):
    with pytest.raises(s.AwardError):
        s.return_save_draft(mreturn=mreturn, actor=personas.partner_officer, commentary="x", values={})


def test_the_page_says_when_and_offers_only_a_draft_before_the_period_ends(personas, client_for, mreturn):
    url = reverse("awards:return", args=[mreturn.award_id, mreturn.pk])
    c = client_for(personas.lead_officer)
    with time_machine.travel(DURING, tick=False):
        body = c.get(url).content.decode()
        assert "You can send this return from 1 July 2026" in body
        assert 'name="save_draft"' in body and "Send return" not in body
        # A send posted anyway (an old tab, a crafted request) is refused on the form, nothing lost.
        r = c.post(url, {"rag": "green", "commentary": "Kept"})
        assert r.status_code == 200
        body = r.content.decode()
        assert "You can send this return from 1 July 2026" in body and "Kept" in body
        mreturn.refresh_from_db()
        assert mreturn.status == ReturnStatus.DUE
        # Saving a draft needs no RAG yet and comes back to the return.
        r = c.post(url, {"commentary": "Draft words", "save_draft": ""})
        assert r.status_code == 302 and r.url == url
        mreturn.refresh_from_db()
        assert mreturn.status == ReturnStatus.DUE and mreturn.commentary == "Draft words"
        assert "Draft words" in c.get(url).content.decode()


def test_the_page_offers_send_and_draft_once_the_period_has_ended(personas, client_for, mreturn):
    url = reverse("awards:return", args=[mreturn.award_id, mreturn.pk])
    c = client_for(personas.lead_officer)
    with time_machine.travel(AFTER, tick=False):
        body = c.get(url).content.decode()
        assert "You can send this return from" not in body
        assert "Send return" in body and 'name="save_draft"' in body
        assert c.post(url, {"rag": "green", "commentary": ""}).status_code == 302
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.SUBMITTED
