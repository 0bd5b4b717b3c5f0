"""Issue 17 demo: spend in every sent demo return, a round that asks for certification with one
return awaiting it, and demo certifiers who can act on it. Idempotent."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from grants.awards import demo_spend
from grants.awards.models import Award, MonitoringReturn, ReturnStatus
from grants.awards.spend_selectors import beyond_tolerance
from grants.models import AuditEvent, OrgRole, Round, User
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_once):
    """The demo, seeded once for the module (`demo_once`); each test meets it as seeded."""


def _spend_state():
    return list(
        MonitoringReturn.objects.order_by("pk").values_list(
            "pk", "status", "spend_capital", "spend_revenue", "match_spent", "forecast_capital", "forecast_revenue"
        )
    )


def test_demo_spend_is_idempotent_and_every_sent_return_has_spend(demo):
    before = (_spend_state(), AuditEvent.objects.count(), Notification.objects.count(), User.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (_spend_state(), AuditEvent.objects.count(), Notification.objects.count(), User.objects.count()) == before
    sent = MonitoringReturn.objects.exclude(status=ReturnStatus.DUE)
    assert sent.exists() and not sent.filter(spend_revenue__isnull=True).exists()
    # BI phase 2 was match funded: its returns report match funding spent.
    assert not sent.filter(award__round__slug__startswith="bi-phase-2", match_spent=0).exists()
    # One Public Estate is mostly capital.
    ope = sent.filter(award__round__slug__startswith="ope-phase-7").first()
    assert ope.spend_capital > ope.spend_revenue


def test_demo_has_a_return_awaiting_certification_and_an_underspend_beyond_tolerance(demo, client_for):
    rnd = Round.objects.get(slug__startswith=demo_spend.CERTIFYING_ROUND)
    assert rnd.returns_need_certifying and rnd.returns_ask_spend
    waiting = MonitoringReturn.objects.get(status=ReturnStatus.TO_CERTIFY)
    assert waiting.award.round == rnd and waiting.award.lead.code == "CON"
    assert waiting.submitted_by.email == demo_spend.SENDER and waiting.spend_revenue is not None
    certifier = User.objects.get(email="s151@cornwall.example.com")
    assert certifier.org_role == OrgRole.CERTIFIER
    assert Notification.objects.filter(event="return_to_certify", recipient=certifier).exists()
    assert User.objects.get(email="s151@leeds.example.com").org_role == OrgRole.CERTIFIER
    # Not with the funder: the board does not see it, and the manager cannot review it.
    assert waiting.submission_count == 0
    # The certifier's home lists it; the certify page shows it and certifies it.
    home = client_for(certifier).get(reverse("home")).content.decode()
    certify = reverse("awards:return_certify", args=[waiting.award_id, waiting.pk])
    assert certify in home
    c = client_for(certifier)
    assert "Sign-ups are behind the plan" in c.get(certify).content.decode()
    assert c.post(certify, {"decision": "certify", "declaration": "on"}).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == ReturnStatus.SUBMITTED and waiting.certified_by == certifier
    # Cornwall's trial forecasts 20% under its award: beyond the 10% tolerance, and the only one.
    flagged = beyond_tolerance(Award.objects.all())
    assert [(a.lead.code, p.variance) for a, p in flagged] == [("CON", Decimal("-6000.00"))]
