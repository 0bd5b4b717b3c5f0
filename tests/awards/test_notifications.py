"""Who hears about what: the council's moves reach the programme's managers, the funder's moves
reach the lead council's officers, once per submission or version."""

import pytest

from grants.awards import services as m
from grants.awards import services as s
from grants.awards.models import AwardStatus, Rag, VariationKind
from notifications.models import Notification

from .factories import AwardFactory, ReturnPeriodFactory

pytestmark = pytest.mark.django_db
A = AwardStatus


def _sent(event: str) -> list[Notification]:
    # One row per recipient and channel; the in-app row stands for both.
    return list(Notification.objects.filter(event=event, channel="in_app").select_related("recipient"))


def _recipients(event: str) -> set:
    return {n.recipient for n in _sent(event)}


@pytest.fixture
def live(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=A.ACTIVE)
    ReturnPeriodFactory(round=personas.round, title="Quarter 1")
    s.returns_create(award=award)
    return award


def test_return_submitted_reaches_managers_once_per_submission(personas, live):
    mreturn = live.returns.get()
    m.return_submit(mreturn=mreturn, actor=personas.lead_officer, rag=Rag.AMBER, commentary="Late", values={})
    assert _recipients("return_submitted") == {personas.programme_manager}
    context = _sent("return_submitted")[0].context
    assert context["title"] == "Quarter 1" and context["rag"] == "Amber" and context["submission_count"] == 1
    assert context["organisation_name"] == personas.lead_org.name
    m.return_request_changes(mreturn=mreturn, actor=personas.programme_manager, reason="Add figures")
    m.return_submit(mreturn=mreturn, actor=personas.lead_officer, rag=Rag.GREEN, commentary="", values={})
    assert len(_sent("return_submitted")) == 2  # the resubmission is news too
    assert {n.dedupe_key for n in _sent("return_submitted")} == {
        f"return_submitted:{mreturn.pk}:1",
        f"return_submitted:{mreturn.pk}:2",
    }


def test_return_approved_reaches_the_lead_council(personas, live):
    mreturn = live.returns.get()
    m.return_submit(mreturn=mreturn, actor=personas.signatory, rag=Rag.GREEN, commentary="", values={})
    m.return_approve(mreturn=mreturn, actor=personas.programme_manager)
    assert _recipients("return_approved") == {personas.lead_officer, personas.signatory}
    assert _sent("return_approved")[0].context["title"] == "Quarter 1"
    assert personas.partner_officer not in _recipients("return_approved")


def test_variation_requested_reaches_managers(personas, live):
    v = m.variation_request(
        award=live, actor=personas.lead_officer, kind=VariationKind.SCOPE, reason="Wider area", new_scope="Two towns"
    )
    assert _recipients("variation_requested") == {personas.programme_manager}
    n = _sent("variation_requested")[0]
    assert n.context["reason"] == "Wider area" and n.context["summary"] == "new scope"
    assert n.url == f"/staff/awards/{live.pk}/variations/{v.pk}/"


def test_declined_offer_reaches_managers(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org)
    s.award_decline(award=award, actor=personas.signatory, reason="No capacity this year")
    assert _recipients("award_declined") == {personas.programme_manager}
    assert _sent("award_declined")[0].context["reason"] == "No capacity this year"


@pytest.mark.parametrize(("start", "to"), [(A.OFFERED, A.WITHDRAWN), (A.ACTIVE, A.TERMINATED)])
def test_ended_award_tells_the_lead_council_with_status_and_reason(personas, start, to):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=start)
    s.award_end(award=award, actor=personas.programme_manager, to=to, reason="Project cannot proceed")
    assert _recipients("award_ended") == {personas.lead_officer, personas.signatory}
    context = _sent("award_ended")[0].context
    assert context["status"] == to and context["reason"] == "Project cannot proceed"
    assert "has been " + to in Notification.objects.filter(event="award_ended").first().subject


def test_closure_report_reaches_managers_per_version_and_closing_tells_the_council(personas, live):
    s.closure_submit(award=live, actor=personas.lead_officer, closure_report="Done", case_study="")
    s.closure_submit(award=live, actor=personas.lead_officer, closure_report="Done, with figures", case_study="")
    assert _recipients("closure_report_sent") == {personas.programme_manager}
    assert len(_sent("closure_report_sent")) == 2
    s.award_close(award=live, actor=personas.programme_manager)
    assert _recipients("award_closed") == {personas.lead_officer, personas.signatory}


def test_a_failed_award_email_is_shown_to_the_programmes_manager(
    personas, live, client_for, settings, django_capture_on_commit_callbacks
):
    """Award emails name their programme, so when one cannot be sent that programme's manager
    sees it on the failed-email page (and may send it again); another programme's does not."""
    from django.urls import reverse

    from notifications.models import Status
    from tests.notifications import backends

    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakySMTPBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    backends.reset(failures=10)
    mreturn = live.returns.get()
    m.return_submit(mreturn=mreturn, actor=personas.lead_officer, rag=Rag.GREEN, commentary="", values={})
    with django_capture_on_commit_callbacks(execute=True):
        m.return_approve(mreturn=mreturn, actor=personas.programme_manager)
    failed = Notification.objects.filter(event="return_approved", channel="email", status=Status.FAILED)
    assert {n.recipient for n in failed} == {personas.lead_officer, personas.signatory}
    assert {n.programme_id for n in failed} == {personas.programme.pk}
    url = reverse("notifications:failed_list")
    mine = client_for(personas.programme_manager).get(url).content.decode()
    assert personas.lead_officer.email in mine and all(
        reverse("notifications:resend", args=[n.pk]) in mine for n in failed
    )
    assert personas.lead_officer.email not in client_for(personas.other_programme_manager).get(url).content.decode()
