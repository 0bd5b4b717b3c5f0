"""A page loaded before a colleague submitted the bid must not change it, nor undo the submission."""

import pytest

from applications import services
from applications.models import Answer, Bid, BidPartner, BidStatus, EvidenceFile
from grants.models import AuditEvent, OrgRole
from tests import factories as f

from .factories import PDF, upload
from .test_services import complete, start


@pytest.fixture
def stale(personas, form):
    """(the bid as a page loaded it while a draft, the bid after a colleague submitted it)."""
    bid = start(personas)
    complete(bid, personas, form)
    loaded = Bid.objects.get(pk=bid.pk)
    services.submit_bid(
        bid=Bid.objects.get(pk=bid.pk), actor=personas.lead_officer, declaration_name="A", declaration_role="B"
    )
    return loaded, Bid.objects.get(pk=bid.pk)


def _writes(personas, form):
    colleague = f.UserFactory(organisation=personas.lead_org, org_role=OrgRole.OFFICER)
    return {
        "details": lambda bid: services.update_bid_details(bid=bid, actor=personas.lead_officer, title="Changed"),
        "answers": lambda bid: services.save_section_answers(
            bid=bid, actor=personas.lead_officer, section=form["about"], data={form["aim"].pk: "Changed aim"}
        ),
        "evidence": lambda bid: services.upload_evidence(
            bid=bid, actor=personas.lead_officer, upload=upload("late.pdf", PDF), question=form["plan"]
        ),
        "partner": lambda bid: services.add_partner(
            bid=bid, actor=personas.lead_officer, organisation=personas.partner_org
        ),
        "collaborator": lambda bid: services.add_collaborator(bid=bid, actor=personas.lead_officer, user=colleague),
    }


@pytest.mark.parametrize("write", ["details", "answers", "evidence", "partner", "collaborator"])
def test_a_stale_page_cannot_change_a_submitted_bid(personas, form, stale, write):
    loaded, submitted = stale
    events = AuditEvent.objects.count()
    with pytest.raises(services.BidError, match="cannot be changed"):
        _writes(personas, form)[write](loaded)
    now = Bid.objects.get(pk=loaded.pk)
    assert (now.status, now.reference, now.submitted_at, now.title) == (
        BidStatus.SUBMITTED,
        submitted.reference,
        submitted.submitted_at,
        submitted.title,
    )
    assert Answer.objects.get(bid=now, question=form["aim"]).value == "Get people online"
    assert EvidenceFile.objects.filter(bid=now).count() == 1
    assert not BidPartner.objects.filter(bid=now).exists() and not now.collaborators.exists()
    assert AuditEvent.objects.count() == events


def test_details_save_writes_only_the_details(personas, form):
    """Even on an editable bid, saving details leaves status and reference as the database has them."""
    bid = start(personas)
    loaded = Bid.objects.get(pk=bid.pk)
    Bid.objects.filter(pk=bid.pk).update(status_reason="Set elsewhere")
    services.update_bid_details(bid=loaded, actor=personas.lead_officer, title="Renamed")
    now = Bid.objects.get(pk=bid.pk)
    assert now.title == "Renamed" and now.status_reason == "Set elsewhere"


def test_removing_someone_who_is_not_a_collaborator(personas, client_for):
    """Any user id posted as `remove` finds nothing unless they collaborate on this bid."""
    bid = start(personas)
    client = client_for(personas.lead_officer)
    response = client.post(f"/bids/{bid.pk}/collaborators/", {"remove": personas.other_officer.pk})
    assert response.status_code == 404
    history = client.get(f"/bids/{bid.pk}/history/").content.decode()
    assert personas.other_officer.email not in history
    with pytest.raises(services.BidError, match="not a collaborator"):
        services.remove_collaborator(bid=bid, actor=personas.lead_officer, user=personas.other_officer)
    colleague = f.UserFactory(organisation=personas.lead_org, org_role=OrgRole.OFFICER)
    services.add_collaborator(bid=bid, actor=personas.lead_officer, user=colleague)
    assert client.post(f"/bids/{bid.pk}/collaborators/", {"remove": colleague.pk}).status_code == 302
    assert not bid.collaborators.exists()
