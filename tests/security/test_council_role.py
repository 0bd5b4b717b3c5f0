"""Acting for a council needs a council role there; a conflict takes even that away.

Attacks by someone linked to a council without a council role (an assessor employed there, say):
starting a bid in its name, becoming a bid's collaborator, answering a partner request for it.
And by a bid's own editor who joins the round's panel: the draft's pages and its deadline
reminders stop, as for every other route to a bid they are conflicted on.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from applications import services as bid_services
from applications.models import Bid, PartnerStatus
from applications.reminders import deadline_reminders
from grants.models import AuditEvent, OrgRole
from tests import factories as f
from tests.conftest import enable_mfa
from tests.scoring.factories import declare

from .observe import isolated_change, people
from .world import build_world


@pytest.fixture
def world(personas):
    return build_world(personas)


def test_someone_without_a_council_role_cannot_start_a_bid_for_it(personas, world, client_for):
    no_role = people(personas)["lead_no_role"]
    other_council = f.UserFactory(organisation=personas.other_org)  # no role, and no bid there yet
    url = reverse("applications:bid_start", args=[world.open_round.slug])
    page = client_for(other_council).get(url)
    assert page.status_code == 200 and escape(bid_services.NO_COUNCIL_ROLE) in page.content.decode()
    data = {"title": "Mine", "summary": "x", "amount_requested": "20000", "match_funding": "0"}
    for user in (no_role, other_council):
        response, changed = isolated_change(client_for(user), "post", url, Bid.objects.count, data=data)
        assert response.status_code == 200 and not changed, user.email
        with pytest.raises(bid_services.BidError):
            bid_services.start_bid(round=world.open_round, actor=user, title="Mine", amount_requested=Decimal(20000))
    assert 'name="title"' in client_for(personas.other_officer).get(url).content.decode()  # an officer gets the form


def test_a_colleague_without_a_council_role_cannot_be_made_a_collaborator(personas, world, client_for):
    no_role = people(personas)["lead_no_role"]
    url = reverse("applications:bid_collaborators", args=[world.draft_bid.pk])
    response = client_for(personas.lead_officer).post(url, {"email": no_role.email})
    assert response.status_code == 200 and not world.draft_bid.collaborators.exists()
    with pytest.raises(bid_services.BidError):
        bid_services.add_collaborator(bid=world.draft_bid, actor=personas.lead_officer, user=no_role)
    bid_services.add_collaborator(bid=world.draft_bid, actor=personas.lead_officer, user=personas.signatory)


def test_someone_without_a_council_role_cannot_answer_a_partner_request(personas, world, client_for):
    no_role = f.UserFactory(organisation=personas.partner_org)
    url = reverse("applications:partner_respond", args=[world.invite_bid.pk])
    response, changed = isolated_change(
        client_for(no_role), "post", url, AuditEvent.objects.count, data={"decision": "confirm"}
    )
    assert response.status_code == 404 and not changed
    partner = world.invite_bid.partners.get()
    with pytest.raises(bid_services.BidError):
        bid_services.respond_to_partner(partner=partner, actor=no_role, confirm=True)
    bid_services.respond_to_partner(partner=partner, actor=personas.partner_officer, confirm=True)
    partner.refresh_from_db()
    assert partner.status == PartnerStatus.CONFIRMED


def test_an_editor_who_joins_the_panel_loses_the_draft_and_its_reminders(personas, world, client_for):
    """The other council's officer drafts a bid in the round, then sits on its panel: conflicted on
    their own council's bid, so none of its pages, and no reminder about its deadline."""
    editor, colleague = personas.other_officer, f.UserFactory(organisation=personas.other_org, org_role=OrgRole.OFFICER)
    draft = bid_services.start_bid(
        round=personas.round,
        actor=editor,
        title="Shared contact centre",
        summary="A draft",
        amount_requested=Decimal("20000.00"),
        match_funding=Decimal("0.00"),
        planned_start=timezone.localdate() + timedelta(days=60),
        planned_end=timezone.localdate() + timedelta(days=400),
    )
    pages = [reverse(f"applications:{name}", args=[draft.pk]) for name in ("bid_detail", "bid_details", "bid_check")]
    assert all(client_for(editor).get(url).status_code == 200 for url in pages)

    f.PanelMemberFactory(panel=personas.round.panel, user=editor)
    enable_mfa(editor)
    declare(editor, personas.round)
    for url in pages:
        assert client_for(editor).get(url).status_code == 404, url
        response, changed = isolated_change(
            client_for(editor), "post", url, AuditEvent.objects.count, data={"title": "Changed"}
        )
        assert response.status_code == 404 and not changed, url
    now = draft.deadline - timedelta(days=6)  # inside the 7-day window
    told = {r.recipient.email for r in deadline_reminders(now) if f":{draft.pk}:" in r.dedupe_key}
    assert colleague.email in told and editor.email not in told, told


@pytest.mark.parametrize(("org", "officer"), [("lead_org", "lead_officer"), ("partner_org", "partner_officer")])
def test_someone_linked_to_the_council_without_a_role_sees_nothing_of_its_bids(
    personas, world, client_for, org, officer
):
    """Linked to the lead or the confirmed partner council without a council role (and on no
    panel, so no conflict is involved): 404 on the bid, its file, its history and its award,
    and empty dashboards, where an officer of the same council reads them all."""
    no_role = f.UserFactory(organisation=getattr(personas, org))
    client, control = client_for(no_role), client_for(getattr(personas, officer))
    urls = [
        reverse("applications:bid_detail", args=[world.bid.pk]),
        reverse("applications:bid_history", args=[world.bid.pk]),
        reverse("applications:evidence_download", args=[world.bid.pk, world.evidence.pk]),
        reverse("awards:detail", args=[world.award.pk]),
        reverse("awards:offer_pdf", args=[world.award.pk]),
        reverse("awards:return", args=[world.award.pk, world.mreturn.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert control.get(url).status_code == 200, url
    for name in ("applications:bid_dashboard", "awards:dashboard"):
        page = client.get(reverse(name)).content.decode()
        assert world.bid.reference not in page and world.award.title not in page, name
        assert world.award.title in control.get(reverse("awards:dashboard")).content.decode()
