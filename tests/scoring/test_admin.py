"""The Django admin only shows assessment records: every change has a page that goes through
the services (audit trail, the criteria lock, the panel-member rules)."""

import pytest
from django.urls import reverse

from scoring.models import Criterion, PanelMember
from tests import factories as f
from tests.conftest import enable_mfa

from .factories import CriterionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client_for):
    user = f.UserFactory(is_staff=True, is_superuser=True)
    enable_mfa(user)
    return client_for(user)


def test_criteria_are_read_only_in_the_admin(personas, superuser_client):
    c = CriterionFactory(round=personas.round, name="Quality", weight=10)
    assert superuser_client.get(reverse("admin:scoring_criterion_changelist")).status_code == 200
    assert superuser_client.get(reverse("admin:scoring_criterion_add")).status_code == 403
    url = reverse("admin:scoring_criterion_change", args=[c.pk])
    page = superuser_client.get(url)
    assert page.status_code == 200 and 'name="weight"' not in page.content.decode()
    superuser_client.post(url, {"round": personas.round.pk, "name": "Changed", "weight": 99, "scale": "0-4"})
    assert Criterion.objects.get(pk=c.pk).weight == 10
    assert (
        superuser_client.post(reverse("admin:scoring_criterion_delete", args=[c.pk]), {"post": "yes"}).status_code
        == 403
    )


def test_panel_members_cannot_be_changed_in_the_admin(personas, superuser_client):
    panel = personas.round.panel
    url = reverse("admin:scoring_panel_change", args=[panel.pk])
    page = superuser_client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and 'name="members-0-is_chair"' not in body and 'MAX_NUM_FORMS" value="0"' in body
    before = list(PanelMember.objects.filter(panel=panel).values_list("user_id", "is_chair"))
    superuser_client.post(url, {"assessors_per_bid": 5, "members-TOTAL_FORMS": 0, "members-INITIAL_FORMS": 0})
    panel.refresh_from_db()
    assert panel.assessors_per_bid != 5
    assert list(PanelMember.objects.filter(panel=panel).values_list("user_id", "is_chair")) == before
