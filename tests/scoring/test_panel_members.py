"""Managers run the panel on the service: add members, choose the chair, remove members."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from grants.models import AuditEvent
from scoring.models import Assignment, PanelMember
from tests import factories as f

from .factories import SubmittedBidFactory

pytestmark = pytest.mark.django_db


def members_url(p):
    return reverse("scoring:panel_members", args=[p.round.slug])


def test_manager_adds_a_member_as_chair_and_the_old_chair_steps_down(personas, client_for):
    newcomer = f.UserFactory(email="new.assessor@example.com")
    client = client_for(personas.programme_manager)
    response = client.post(members_url(personas), {"email": "New.Assessor@example.com", "is_chair": "on"})
    assert response.status_code == 302
    panel = personas.round.panel
    assert PanelMember.objects.get(panel=panel, user=newcomer).is_chair
    assert not PanelMember.objects.get(panel=panel, user=personas.panel_chair).is_chair
    assert AuditEvent.objects.filter(action="panel.member_add", actor=personas.programme_manager).exists()
    page = client.get(reverse("scoring:panel", args=[personas.round.slug])).content.decode()
    assert "new.assessor" in page or escape(newcomer.get_full_name()) in page  # O'Brien is O&#x27;Brien


@pytest.mark.parametrize(
    "email, message",
    [
        ("nobody@example.com", "No one has an account"),
        ("assessor@example.com", "already on this panel"),
        ("x", "Enter an email"),
    ],
)
def test_adding_a_member_explains_what_is_wrong(personas, client_for, email, message):
    response = client_for(personas.programme_manager).post(members_url(personas), {"email": email})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html


def test_a_member_with_bids_to_assess_cannot_be_removed(personas, client_for):
    member = PanelMember.objects.get(panel=personas.round.panel, user=personas.assessor)
    Assignment.objects.create(bid=SubmittedBidFactory(round=personas.round), assessor=personas.assessor)
    client = client_for(personas.programme_manager)
    url = reverse("scoring:panel_member_remove", args=[personas.round.slug, member.pk])
    response = client.post(url, follow=True)
    assert "Withdraw those assignments first" in response.content.decode()
    assert PanelMember.objects.filter(pk=member.pk).exists()
    Assignment.objects.update(withdrawn_at="2026-01-01T00:00:00Z")
    client.post(url)
    assert not PanelMember.objects.filter(pk=member.pk).exists()


def test_chair_can_be_changed(personas, client_for):
    member = PanelMember.objects.get(panel=personas.round.panel, user=personas.assessor)
    client_for(personas.programme_manager).post(
        reverse("scoring:panel_member_chair", args=[personas.round.slug, member.pk])
    )
    chairs = list(PanelMember.objects.filter(panel=personas.round.panel, is_chair=True).values_list("user", flat=True))
    assert chairs == [personas.assessor.pk]


@pytest.mark.parametrize("who", ["other_programme_manager", "panel_chair", "assessor", "lead_officer", "board_viewer"])
def test_only_this_programmes_managers_run_the_panel(personas, client_for, who):
    client = client_for(getattr(personas, who))
    member = PanelMember.objects.get(panel=personas.round.panel, user=personas.assessor)
    assert client.get(members_url(personas)).status_code == 404
    assert client.post(members_url(personas), {"email": personas.other_officer.email}).status_code == 404
    url = reverse("scoring:panel_member_remove", args=[personas.round.slug, member.pk])
    assert client.post(url).status_code == 404
    assert PanelMember.objects.filter(pk=member.pk).exists()
