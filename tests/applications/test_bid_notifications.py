"""Who hears about a bid: the lead when a partner answers, partners and managers on withdrawal,
the lead council per bid when its deadline is extended."""

from datetime import timedelta

from applications import services
from applications.models import PartnerStatus
from grants.models import OrgRole
from notifications.models import Notification
from tests import factories as f

from .test_services import start


def _told(event: str) -> dict[str, list[str]]:
    """recipient email -> in-app subjects for one event."""
    told: dict[str, list[str]] = {}
    for note in Notification.objects.filter(event=event, channel="in_app").select_related("recipient"):
        told.setdefault(note.recipient.email, []).append(note.subject)
    return told


def test_lead_council_hears_each_partner_answer(personas):
    colleague = f.UserFactory(
        email="colleague@kent.example.com", organisation=personas.lead_org, org_role=OrgRole.OFFICER
    )
    bid = start(personas, partners=[personas.partner_org])
    services.add_collaborator(bid=bid, actor=personas.lead_officer, user=colleague)
    partner = bid.partners.get()
    services.respond_to_partner(partner=partner, actor=personas.partner_officer, confirm=False, reason="No capacity")
    told = _told("partner_responded")
    assert set(told) == {"lead@example.com", "signatory@example.com", "colleague@kent.example.com"}
    assert told["lead@example.com"] == ["Medway has declined its part in Digital skills for Kent"]
    note = Notification.objects.get(event="partner_responded", recipient=personas.lead_officer, channel="in_app")
    assert note.context["reason"] == "No capacity" and note.context["response"] == "declined"
    assert note.url == f"/bids/{bid.pk}/"
    # They talk it over and Medway confirms: a second answer is a second message.
    services.respond_to_partner(partner=partner, actor=personas.partner_officer, confirm=True)
    assert partner.status == PartnerStatus.CONFIRMED
    assert sorted(_told("partner_responded")["lead@example.com"]) == [
        "Medway has confirmed its part in Digital skills for Kent",
        "Medway has declined its part in Digital skills for Kent",
    ]
    assert "partner@example.com" not in _told("partner_responded")


def test_withdrawal_tells_confirmed_partners_and_the_programme_managers(personas):
    waiting = f.OrganisationFactory(short_name="Swale", kind="district")
    waiting_officer = f.UserFactory(email="officer@swale.example.com", organisation=waiting, org_role=OrgRole.OFFICER)
    bid = start(personas, partners=[personas.partner_org, waiting])
    services.respond_to_partner(
        partner=bid.partners.get(organisation=personas.partner_org), actor=personas.partner_officer, confirm=True
    )
    services.withdraw_bid(bid=bid, actor=personas.lead_officer, reason="Funding found elsewhere")
    told = _told("bid_withdrawn")
    assert set(told) == {"partner@example.com", "pm@example.com"}
    assert told["pm@example.com"] == ["Bid Digital skills for Kent has been withdrawn"]
    note = Notification.objects.get(event="bid_withdrawn", recipient=personas.programme_manager, channel="in_app")
    assert note.context["reason"] == "Funding found elsewhere" and note.context["organisation_name"] == "Kent"
    assert waiting_officer.email not in told and "otherpm@example.com" not in told


def test_extension_tells_the_council_about_each_bid_by_reference_or_title(personas):
    from applications.models import Bid

    bid = start(personas)
    new = personas.round.closes_at + timedelta(days=3)
    services.grant_extension(
        round=personas.round,
        organisation=personas.lead_org,
        new_deadline=new,
        reason="Flood",
        actor=personas.programme_manager,
    )
    note = Notification.objects.get(event="extension_granted", recipient=personas.lead_officer, channel="in_app")
    assert note.context["reference"] == "Digital skills for Kent" and note.url == f"/bids/{bid.pk}/"
    # The same extension granted again changes nothing; a later deadline is news.
    services.grant_extension(
        round=personas.round,
        organisation=personas.lead_org,
        new_deadline=new,
        reason="Flood",
        actor=personas.programme_manager,
    )
    assert (
        Notification.objects.filter(
            event="extension_granted", recipient=personas.lead_officer, channel="in_app"
        ).count()
        == 1
    )
    Bid.objects.filter(pk=bid.pk).update(reference="THIS-000007")
    services.grant_extension(
        round=personas.round,
        organisation=personas.lead_org,
        new_deadline=new + timedelta(days=1),
        reason="Flood again",
        actor=personas.programme_manager,
    )
    latest = Notification.objects.filter(
        event="extension_granted", recipient=personas.lead_officer, channel="in_app"
    ).order_by("-pk")[0]
    assert latest.context["reference"] == "THIS-000007"


def test_every_bid_message_names_its_programme_so_its_managers_can_resend_a_failed_email(personas, client_for):
    bid = start(personas, partners=[personas.partner_org])
    services.respond_to_partner(partner=bid.partners.get(), actor=personas.partner_officer, confirm=True)
    services.withdraw_bid(bid=bid, actor=personas.lead_officer, reason="Funding found elsewhere")
    services.grant_extension(
        round=personas.round,
        organisation=personas.other_org,
        new_deadline=personas.round.closes_at + timedelta(days=2),
        reason="Flood",
        actor=personas.programme_manager,
    )
    about_bids = Notification.objects.filter(
        event__in=["partner_confirmation_requested", "partner_responded", "bid_withdrawn", "extension_granted"]
    )
    assert about_bids.count() >= 4
    assert set(about_bids.values_list("programme_id", flat=True)) == {personas.programme.pk}
    email = about_bids.filter(channel="email").first()
    Notification.objects.filter(pk=email.pk).update(status="failed", last_error="SMTP down")
    page = client_for(personas.programme_manager).get("/notifications/failed/").content.decode()
    assert email.subject in page
    other = client_for(personas.other_programme_manager).get("/notifications/failed/").content.decode()
    assert email.subject not in other
