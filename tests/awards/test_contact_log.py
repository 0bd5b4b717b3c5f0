"""The contact log (issue 16): programme managers log monitoring calls and meetings on an award;
councils never see it; a contact cannot be logged before it happens."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.awards.models import ContactLogEntry
from grants.awards.services import AwardError, contact_log
from grants.models import AuditEvent
from tests.security.world import build_world

AGREED = "Agreed to move the second milestone to June"


@pytest.fixture
def world(personas):
    return build_world(personas)


def _form(held_on, **extra) -> dict:
    return {
        "held_on": held_on.isoformat(),
        "kind": "phone",
        "participants": "Jo Bloggs (Kent), Sam Manager",
        "agreed": AGREED,
        **extra,
    }


def test_manager_logs_a_call_shown_on_the_award_with_its_follow_up(client_for, personas, world):
    today = timezone.localdate()
    manager = client_for(personas.programme_manager)
    url = reverse("awards:contact_add", args=[world.award.pk])
    assert manager.get(url).status_code == 200
    follow_up = today + timedelta(days=14)
    response = manager.post(url, _form(today, follow_up_by=follow_up.isoformat()))
    assert response.status_code == 302
    entry = ContactLogEntry.objects.exclude(pk=world.contact.pk).get()
    assert (entry.award, entry.held_on, entry.kind, entry.follow_up_by) == (world.award, today, "phone", follow_up)
    assert entry.logged_by == personas.programme_manager
    assert AuditEvent.objects.filter(action="contact.log", target_type="awards.contactlogentry").exists()
    page = manager.get(reverse("awards:detail", args=[world.award.pk])).content.decode()
    assert AGREED in page and "Phone call" in page and f"Follow up by {follow_up:%-d %b %Y}" in page


def test_contact_in_the_future_is_refused_on_the_page(client_for, personas, world):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(personas.programme_manager).post(
        reverse("awards:contact_add", args=[world.award.pk]), _form(tomorrow)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "The date of the contact must be today or in the past" in page
    assert AGREED in page  # what was typed is kept
    assert not ContactLogEntry.objects.exclude(pk=world.contact.pk).exists()


def test_follow_up_before_the_contact_and_missing_fields_are_refused(client_for, personas, world):
    today = timezone.localdate()
    url = reverse("awards:contact_add", args=[world.award.pk])
    manager = client_for(personas.programme_manager)
    early = manager.post(url, _form(today, follow_up_by=(today - timedelta(days=1)).isoformat()))
    assert "The follow-up date must be on or after the date of the contact" in early.content.decode()
    empty = manager.post(url, {}).content.decode()
    assert "Enter who took part" in empty and "Enter what was agreed" in empty
    assert "Choose what kind of contact it was" in empty
    assert not ContactLogEntry.objects.exclude(pk=world.contact.pk).exists()


def test_service_refuses_people_who_may_not_log(personas, world):
    for user in (personas.finance_officer, personas.lead_officer, personas.other_programme_manager):
        with pytest.raises(AwardError):
            contact_log(
                award=world.award,
                actor=user,
                held_on=timezone.localdate(),
                kind="meeting",
                participants="x",
                agreed="y",
            )
    assert not ContactLogEntry.objects.exclude(pk=world.contact.pk).exists()


def test_councils_do_not_see_the_contact_log(client_for, personas, world):
    contact_log(
        award=world.award,
        actor=personas.programme_manager,
        held_on=timezone.localdate(),
        kind="site_visit",
        participants="Site team",
        agreed=AGREED,
    )
    for council in (personas.lead_officer, personas.signatory, personas.partner_officer):
        page = client_for(council).get(reverse("awards:detail", args=[world.award.pk]))
        assert page.status_code == 200
        assert AGREED not in page.content.decode() and "Contact log" not in page.content.decode()
    staff = client_for(personas.board_viewer).get(reverse("awards:detail", args=[world.award.pk])).content.decode()
    assert AGREED in staff and "Log a call or meeting" not in staff  # read only for the board
