"""Issue 17, item 2: a round may require each return to be certified by the lead council's
section 151 officer or delegate before it reaches the funder."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.awards import services as s
from grants.awards.models import Award, AwardStatus, MonitoringReturn, Rag, ReturnStatus
from grants.awards.selectors import REPORTED, latest_rag
from grants.awards.spend_selectors import spend_to_date
from grants.models import AuditEvent, OrgRole
from grants.reporting.home import manager_home
from notifications.models import Notification
from tests import factories as f

from .factories import AwardFactory, ReturnPeriodFactory, RoundOutputFactory

pytestmark = pytest.mark.django_db
D = Decimal
SPEND = {
    "spend_capital": "10000",
    "spend_revenue": "2500",
    "match_spent": "0",
    "forecast_capital": "20000",
    "forecast_revenue": "10000",
}


@pytest.fixture
def certifier(personas):
    return f.UserFactory(email="s151@example.com", organisation=personas.lead_org, org_role=OrgRole.CERTIFIER)


@pytest.fixture
def partner_certifier(personas):
    return f.UserFactory(email="s151@medway.example.com", organisation=personas.partner_org, org_role=OrgRole.CERTIFIER)


@pytest.fixture
def live(personas, certifier):
    personas.round.returns_need_certifying = True
    personas.round.returns_ask_spend = True
    personas.round.save()
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    award.partners.add(personas.partner_org)
    ReturnPeriodFactory(round=personas.round, title="Quarter 1", period_end=date(2026, 3, 31))
    RoundOutputFactory(round=personas.round, kind="jobs_created", unit="count")
    s.returns_create(award=award)
    return award


@pytest.fixture
def mreturn(live):
    return live.returns.get()


def _send(personas, mreturn, **extra):
    output = mreturn.award.round.outputs.get()
    return s.return_submit(
        mreturn=mreturn,
        actor=personas.lead_officer,
        rag=Rag.AMBER,
        commentary="Contractor late; second contractor engaged",
        evidence="Site photos",
        values={output.pk: "12"},
        spend=SPEND,
        **extra,
    )


def _certify(mreturn, actor):
    return s.return_certify(mreturn=mreturn, actor=actor, declaration=True)


def test_an_officers_send_waits_for_the_certifier_and_is_not_with_the_funder(personas, live, mreturn, certifier):
    _send(personas, mreturn)
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.TO_CERTIFY and mreturn.status not in REPORTED
    assert mreturn.submission_count == 0
    assert latest_rag(award=live) == ""  # the board's "latest RAG" does not see it
    assert not MonitoringReturn.objects.filter(status__in=REPORTED).exists()
    assert spend_to_date(mreturn)["capital"] == D("10000")  # its own page shows it; the award's totals do not
    to_certify = Notification.objects.filter(event="return_to_certify")
    assert {n.recipient for n in to_certify} == {certifier}
    assert not Notification.objects.filter(event="return_submitted").exists()  # managers not told yet


def test_the_certifier_certifies_and_the_return_reaches_the_funder_with_a_snapshot(personas, live, mreturn, certifier):
    _send(personas, mreturn)
    _certify(mreturn, certifier)
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.SUBMITTED and mreturn.submission_count == 1
    assert mreturn.certified_by == certifier and mreturn.certified_at
    assert mreturn.submitted_at == mreturn.certified_at  # reached the funder when certified (the board's as-at date)
    snap = mreturn.certified_snapshot
    assert snap["spend"]["spend_capital"] == "10000.00" and snap["outputs"][0]["value"] == "12.00"
    assert snap["commentary"] == "Contractor late; second contractor engaged" and snap["rag"] == "amber"
    event = AuditEvent.objects.get(action="return.certified")
    assert event.actor == certifier and event.data["snapshot"] == snap
    assert {n.recipient for n in Notification.objects.filter(event="return_submitted")} == {personas.programme_manager}


@pytest.mark.parametrize("who", ["lead_officer", "signatory", "partner_certifier", "programme_manager"])
def test_only_the_lead_councils_certifier_may_certify(personas, live, mreturn, partner_certifier, who):
    _send(personas, mreturn)
    actor = partner_certifier if who == "partner_certifier" else getattr(personas, who)
    with pytest.raises(s.AwardError):
        _certify(mreturn, actor)
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.TO_CERTIFY and mreturn.certified_by is None


def test_a_certifier_cannot_certify_a_return_they_sent(personas, live, mreturn, certifier):
    s.return_submit(mreturn=mreturn, actor=certifier, rag=Rag.GREEN, commentary="", values={}, spend=SPEND)
    with pytest.raises(s.AwardError, match="someone else must certify"):
        _certify(mreturn, certifier)


def test_certifying_needs_the_declaration(personas, live, mreturn, certifier):
    _send(personas, mreturn)
    with pytest.raises(s.AwardError) as exc:
        s.return_certify(mreturn=mreturn, actor=certifier, declaration=False)
    assert "declaration" in exc.value.message_dict


def test_a_return_changed_since_the_certifier_read_it_is_refused(personas, live, mreturn, certifier):
    _send(personas, mreturn)
    mreturn.refresh_from_db()
    seen = s.fingerprint(s.certification_snapshot(mreturn))
    MonitoringReturn.objects.filter(pk=mreturn.pk).update(commentary="Something else")
    with pytest.raises(s.AwardError, match="changed since you opened it"):
        s.return_certify(mreturn=mreturn, actor=certifier, declaration=True, seen=seen)


def test_a_council_without_a_certifier_is_told_before_anything_moves(personas, live, mreturn, certifier):
    certifier.is_active = False
    certifier.save()
    with pytest.raises(s.AwardError, match="no one who certifies"):
        _send(personas, mreturn)
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.DUE


def test_sent_back_by_the_certifier_goes_to_the_officer_with_the_reason(personas, live, mreturn, certifier):
    _send(personas, mreturn)
    with pytest.raises(s.AwardError):
        s.return_certification_decline(mreturn=mreturn, actor=certifier, reason=" ")
    s.return_certification_decline(mreturn=mreturn, actor=certifier, reason="Capital spend does not match the ledger")
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.DUE and mreturn.certification_reason.startswith("Capital")
    assert mreturn.spend_capital == D("10000")  # kept for the officer to correct
    declined = Notification.objects.filter(event="return_certification_declined")
    assert {n.recipient for n in declined} == {personas.lead_officer}
    assert AuditEvent.objects.filter(action="return.certification_declined").exists()
    _send(personas, mreturn)  # sent again: back to the certifier
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.TO_CERTIFY and mreturn.certification_reason == ""


def test_changes_requested_by_the_funder_need_certifying_again(personas, live, mreturn, certifier):
    _send(personas, mreturn)
    _certify(mreturn, certifier)
    s.return_request_changes(mreturn=mreturn, actor=personas.programme_manager, reason="Split the capital spend")
    mreturn.refresh_from_db()
    first = mreturn.certified_snapshot
    _send(personas, mreturn)
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.TO_CERTIFY and mreturn.certified_by is None
    assert mreturn.status not in REPORTED
    _certify(mreturn, certifier)
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.SUBMITTED and mreturn.submission_count == 2
    assert mreturn.certified_snapshot == first  # nothing changed, so the same snapshot
    assert AuditEvent.objects.filter(action="return.certified").count() == 2


def test_a_return_sent_back_after_the_funder_had_it_returns_to_changes_requested(personas, live, mreturn, certifier):
    _send(personas, mreturn)
    _certify(mreturn, certifier)
    s.return_request_changes(mreturn=mreturn, actor=personas.programme_manager, reason="Split the capital spend")
    _send(personas, mreturn)
    s.return_certification_decline(mreturn=mreturn, actor=certifier, reason="Not yet")
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.CHANGES_REQUESTED


def test_the_staff_queue_does_not_count_a_return_awaiting_certification(personas, client_for, live, mreturn, certifier):
    _send(personas, mreturn)
    items, _, reviews = manager_home(user=personas.programme_manager, now=timezone.now())
    assert reviews == [] and "Returns to review" not in [i.label for i in items]
    page = client_for(personas.programme_manager).get(reverse("awards:detail", args=[live.pk])).content.decode()
    assert "Awaiting certification" in page and "Read and certify" not in page
    _certify(mreturn, certifier)
    items, _, reviews = manager_home(user=personas.programme_manager, now=timezone.now())
    assert [r.pk for r in reviews] == [mreturn.pk]


# Pages ------------------------------------------------------------------------------------


def _certify_url(mreturn):
    return reverse("awards:return_certify", args=[mreturn.award_id, mreturn.pk])


def test_certify_page_is_the_lead_certifiers_only(personas, client_for, live, mreturn, certifier, partner_certifier):
    _send(personas, mreturn)
    url = _certify_url(mreturn)
    assert client_for(certifier).get(url).status_code == 200
    for user in (personas.lead_officer, personas.signatory, partner_certifier, personas.programme_manager, None):
        assert client_for(user).get(url).status_code in (404, 302), user
        assert client_for(user).post(url, {"decision": "certify", "declaration": "on"}).status_code in (404, 302)
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.TO_CERTIFY


def test_certify_page_shows_what_is_certified_and_needs_the_declaration(personas, client_for, live, mreturn, certifier):
    _send(personas, mreturn)
    c = client_for(certifier)
    url = _certify_url(mreturn)
    body = c.get(url).content.decode()
    for text in ("Contractor late", "Site photos", "£10,000", "£2,500", "Capital £20,000, revenue £10,000", "12"):
        assert text in body, text
    bad = c.post(url, {"decision": "certify"}).content.decode()
    assert "govuk-error-summary" in bad and "Confirm the declaration" in bad
    mreturn.refresh_from_db()
    seen = s.fingerprint(s.certification_snapshot(mreturn))
    r = c.post(url, {"decision": "certify", "declaration": "on", "seen": seen})
    assert r.status_code == 302, r.content.decode()[r.content.decode().find("govuk-error-summary") :][:800]
    mreturn.refresh_from_db()
    assert mreturn.status == ReturnStatus.SUBMITTED
    page = client_for(personas.programme_manager).get(reverse("awards:return", args=[live.pk, mreturn.pk]))
    assert 'data-testid="return-certified"' in page.content.decode()


def test_certify_page_send_back_needs_a_reason(personas, client_for, live, mreturn, certifier):
    _send(personas, mreturn)
    c = client_for(certifier)
    url = _certify_url(mreturn)
    assert "Enter what the officer needs to change" in c.post(url, {"decision": "send_back"}).content.decode()
    assert c.post(url, {"decision": "send_back", "reason": "Wrong quarter"}).status_code == 302
    body = client_for(personas.lead_officer).get(reverse("awards:return", args=[live.pk, mreturn.pk])).content.decode()
    assert "certifier sent this return back: Wrong quarter" in body


def test_the_return_page_offers_the_certifier_the_certify_page(personas, client_for, live, mreturn, certifier):
    _send(personas, mreturn)
    page = client_for(certifier).get(reverse("awards:return", args=[live.pk, mreturn.pk])).content.decode()
    assert _certify_url(mreturn) in page


def test_a_return_awaiting_certification_past_its_due_date_is_overdue(personas, live, mreturn):
    from grants.awards.selectors import with_figures

    _send(personas, mreturn)
    mreturn.period.due_on = timezone.localdate() - timedelta(days=1)
    mreturn.period.save()
    assert with_figures(Award.objects.filter(pk=live.pk)).get().overdue_returns == 1  # not received by the funder
