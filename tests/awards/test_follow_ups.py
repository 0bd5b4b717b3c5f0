"""Follow-ups due (issue 17): a contact whose follow-up date has come and nobody has marked done
is counted on the programme manager's home page, listed on the follow-ups page, and marked done
from the award's contact log by the programme's managers (audited)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants.awards.models import ContactLogEntry
from grants.awards.selectors import follow_ups_due
from grants.awards.services import AwardError, contact_followed_up
from grants.models import AuditEvent
from tests.awards.factories import AwardFactory
from tests.security.world import build_world

LIST = reverse("awards:follow_ups")


@pytest.fixture
def world(personas):
    return build_world(personas)


def _entry(award, logged_by, *, follow_up_by, agreed="Call back about the match funding", **extra):
    return ContactLogEntry.objects.create(
        award=award,
        held_on=timezone.localdate() - timedelta(days=30),
        kind="meeting",
        participants="Jo Council",
        agreed=agreed,
        follow_up_by=follow_up_by,
        logged_by=logged_by,
        **extra,
    )


def test_due_means_the_date_has_come_and_nobody_marked_it_done(personas, world):
    today = timezone.localdate()
    pm = personas.programme_manager
    overdue = _entry(world.award, pm, follow_up_by=today - timedelta(days=3))
    _entry(world.award, pm, follow_up_by=today + timedelta(days=1))  # not yet
    _entry(world.award, pm, follow_up_by=None)  # nothing to follow up
    _entry(world.award, pm, follow_up_by=today - timedelta(days=9), followed_up_at=timezone.now())  # done
    assert set(follow_ups_due(today=today)) == {overdue, world.contact}
    assert not follow_ups_due(today=today, barred={world.award.bid_id}).exists()


def test_manager_marks_a_follow_up_done_on_the_award_page(client_for, personas, world):
    manager = client_for(personas.programme_manager)
    detail = reverse("awards:detail", args=[world.award.pk])
    page = manager.get(detail).content.decode()
    assert f'id="contact-{world.contact.pk}"' in page and "Mark follow-up as done" in page
    url = reverse("awards:contact_followed_up", args=[world.award.pk, world.contact.pk])
    response = manager.post(url)
    assert response.status_code == 302 and response.url == f"{detail}#contact-{world.contact.pk}"
    world.contact.refresh_from_db()
    assert world.contact.followed_up_at is not None
    event = AuditEvent.objects.get(action="contact.followed_up")
    assert (event.actor, event.target_id) == (personas.programme_manager, str(world.contact.pk))
    page = manager.get(detail).content.decode()
    assert "Followed up" in page and "Mark follow-up as done" not in page
    again = manager.post(url, follow=True).content.decode()
    assert "already recorded as done" in again
    assert AuditEvent.objects.filter(action="contact.followed_up").count() == 1


def test_only_the_programme_managers_mark_follow_ups_done(client_for, personas, world):
    url = reverse("awards:contact_followed_up", args=[world.award.pk, world.contact.pk])
    for user in (personas.finance_officer, personas.board_viewer, personas.other_programme_manager):
        assert client_for(user).post(url).status_code == 404
        with pytest.raises(AwardError):
            contact_followed_up(entry=world.contact, actor=user)
    page = client_for(personas.board_viewer).get(reverse("awards:detail", args=[world.award.pk])).content.decode()
    assert "Follow up by" in page and "Mark follow-up as done" not in page
    other = AwardFactory(round=world.round, lead=personas.other_org)  # the entry is not this award's
    wrong = reverse("awards:contact_followed_up", args=[other.pk, world.contact.pk])
    assert client_for(personas.programme_manager).post(wrong).status_code == 404
    world.contact.refresh_from_db()
    assert world.contact.followed_up_at is None


def test_an_entry_without_a_follow_up_date_cannot_be_marked(personas, world):
    plain = _entry(world.award, personas.programme_manager, follow_up_by=None)
    with pytest.raises(AwardError, match="no follow-up"):
        contact_followed_up(entry=plain, actor=personas.programme_manager)


def test_home_counts_follow_ups_due_by_round_and_links_to_the_list(client_for, personas, world):
    manager = client_for(personas.programme_manager)
    _entry(world.award, personas.programme_manager, follow_up_by=timezone.localdate() - timedelta(days=2))
    home = manager.get("/").content.decode()
    link = f"{LIST}?round={world.round.slug}"
    assert f'href="{link}">Follow-ups due<span class="govuk-visually-hidden"> in {world.round.name}</span></a>' in home
    listing = manager.get(link)
    rows = listing.content.decode()
    assert "2 follow-ups due" in rows and world.award.reference in rows and "Call back about the match funding" in rows
    assert f"{reverse('awards:detail', args=[world.award.pk])}#contact-{world.contact.pk}" in rows
    assert "Follow-ups due" not in client_for(personas.other_programme_manager).get("/").content.decode()
    ContactLogEntry.objects.update(followed_up_at=timezone.now())
    assert "Follow-ups due" not in manager.get("/").content.decode()
    assert "No follow-ups are due" in manager.get(link).content.decode()


def test_follow_ups_page_filters_by_round_and_costs_the_same_however_many(client_for, personas, world):
    from tests import factories as f

    client = client_for(personas.programme_manager)
    elsewhere = f.RoundFactory(programme=personas.programme, name="Another round")
    other_award = AwardFactory(round=elsewhere, lead=personas.other_org)
    _entry(other_award, personas.programme_manager, follow_up_by=timezone.localdate(), agreed="Elsewhere agreed")
    assert "Elsewhere agreed" not in client.get(LIST, {"round": world.round.slug}).content.decode()
    assert "Elsewhere agreed" in client.get(LIST).content.decode()

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for n in range(8):
        award = AwardFactory(round=elsewhere, lead=personas.other_org)
        _entry(award, personas.programme_manager, follow_up_by=timezone.localdate() - timedelta(days=n))
    assert queries() == few
