"""Other partners: bodies with no account (police, health, charities) named on a bid by the lead
council. They never confirm, never block submission, are never emailed, and count towards the
round's maximum number of partners."""

import csv
import io

import pytest
from django.core import mail
from openpyxl import load_workbook

from applications import services
from applications.models import BidStatus, OtherPartner, OtherPartnerKind, PartnerStatus
from grants.models import AuditEvent, OrgKind
from notifications.models import Notification
from tests import factories as f

from .factories import BidFactory, BidPartnerFactory
from .test_services import complete, start

VICTIM_SUPPORT = {
    "name": "Victim Support",
    "kind": OtherPartnerKind.VOLUNTARY,
    "contact_name": "Sam Lee",
    "contact_email": "sam@victimsupport.example",
    "role": "Runs the support sessions",
}


def _add(client, bid, **data):
    return client.post(f"/bids/{bid.pk}/partners/", {"add_other": "1", **VICTIM_SUPPORT, **data})


def test_lead_adds_and_removes_an_other_partner_on_the_page(personas, client_for):
    bid = start(personas)
    client = client_for(personas.lead_officer)
    response = _add(client, bid)
    assert response.status_code == 302
    other = bid.other_partners.get()
    assert (other.name, other.kind, other.contact_email) == ("Victim Support", "voluntary", "sam@victimsupport.example")
    page = client.get(f"/bids/{bid.pk}/partners/").content.decode()
    assert "Victim Support" in page and "Voluntary or community sector" in page and "Runs the support sessions" in page
    assert client.post(f"/bids/{bid.pk}/partners/", {"remove_other": other.pk}).status_code == 302
    assert not bid.other_partners.exists()
    actions = set(
        AuditEvent.objects.filter(target_id=str(bid.pk), action__startswith="bid.other_partner").values_list(
            "action", flat=True
        )
    )
    assert actions == {"bid.other_partner_added", "bid.other_partner_removed"}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": ""}, "Enter the name of the organisation"),
        ({"kind": ""}, "Select the type of organisation"),
        ({"kind": "funder"}, "Select a valid choice"),
        ({"contact_email": "not an email"}, "Enter an email address in the correct format"),
    ],
)
def test_bad_input_shows_an_error_and_saves_nothing(personas, client_for, data, message):
    bid = start(personas)
    response = _add(client_for(personas.lead_officer), bid, **data)
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and message in page
    assert page.count("<title>Error:") == 1
    assert not bid.other_partners.exists()


def test_duplicates_are_refused_whatever_the_case(personas, client_for):
    bid = start(personas)
    client = client_for(personas.lead_officer)
    _add(client, bid)
    page = _add(client, bid, name="  victim   SUPPORT ").content.decode()
    assert "victim SUPPORT is already a partner on this bid" in page
    assert bid.other_partners.count() == 1


def test_a_body_with_officers_in_the_service_goes_through_confirmation(personas, client_for):
    """Medway has officers: it must be asked to confirm, not named as an other partner. A police
    force with no accounts may be named."""
    bid = start(personas)
    client = client_for(personas.lead_officer)
    page = _add(client, bid, name="Medway Council", kind="public_body").content.decode()
    assert "Medway uses this service: search for it and add it, so it can confirm" in page
    f.OrganisationFactory(name="Kent Police", short_name="Kent Police", kind=OrgKind.POLICE)
    assert _add(client, bid, name="Kent Police", kind="police").status_code == 302
    assert bid.other_partners.get().name == "Kent Police"


def test_other_partners_count_towards_the_rounds_maximum(personas):
    personas.round.max_partners = 2
    personas.round.save()
    bid = start(personas, partners=[personas.partner_org])
    services.add_other_partner(bid=bid, actor=personas.lead_officer, name="Kent Police", kind="police")
    with pytest.raises(services.BidError, match="at most 2 partners"):
        services.add_other_partner(bid=bid, actor=personas.lead_officer, name="Victim Support", kind="voluntary")
    third = f.OrganisationFactory(short_name="Swale", kind=OrgKind.DISTRICT)
    with pytest.raises(services.BidError, match="at most 2 partners"):
        services.add_partner(bid=bid, actor=personas.lead_officer, organisation=third)
    assert bid.partners.count() + bid.other_partners.count() == 2


def test_a_round_without_joint_bids_refuses_them(personas):
    personas.round.joint_bids_allowed = False
    personas.round.save()
    bid = start(personas)
    with pytest.raises(services.BidError, match="does not accept joint bids"):
        services.add_other_partner(bid=bid, actor=personas.lead_officer, name="Kent Police", kind="police")


def test_they_never_block_submission_and_are_never_emailed(
    personas, form, django_capture_on_commit_callbacks, mailoutbox
):
    bid = start(personas)
    complete(bid, personas, form)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_other_partner(bid=bid, actor=personas.lead_officer, **VICTIM_SUPPORT)
        assert services.submission_problems(bid=bid) == []
        services.submit_bid(bid=bid, actor=personas.lead_officer, declaration_name="A", declaration_role="B")
    assert "sam@victimsupport.example" not in {r for m in mail.outbox for r in m.to}
    assert not Notification.objects.filter(recipient__email="sam@victimsupport.example").exists()
    bid.refresh_from_db()
    assert bid.status == BidStatus.SUBMITTED
    with pytest.raises(services.BidError, match="cannot be changed"):
        services.add_other_partner(bid=bid, actor=personas.lead_officer, name="Kent Police", kind="police")
    with pytest.raises(services.BidError, match="cannot be changed"):
        services.remove_other_partner(bid=bid, actor=personas.lead_officer, other=bid.other_partners.get())


@pytest.fixture
def submitted(personas):
    bid = BidFactory(round=personas.round, lead=personas.lead_org, status=BidStatus.SUBMITTED, reference="THIS-000001")
    BidPartnerFactory(bid=bid, organisation=personas.partner_org, status=PartnerStatus.CONFIRMED)
    OtherPartner.objects.create(bid=bid, name="Victim Support", kind="voluntary", role="Runs the sessions")
    return bid


@pytest.mark.parametrize("who", ["lead_officer", "partner_officer", "programme_manager"])
def test_shown_on_the_submitted_bid(personas, client_for, submitted, who):
    page = client_for(getattr(personas, who)).get(f"/bids/{submitted.pk}/").content.decode()
    assert "Other partners" in page and "Victim Support (voluntary or community sector): Runs the sessions" in page


def test_shown_on_check_your_answers(personas, client_for):
    bid = start(personas)
    services.add_other_partner(bid=bid, actor=personas.lead_officer, **VICTIM_SUPPORT)
    page = client_for(personas.lead_officer).get(f"/bids/{bid.pk}/check/").content.decode()
    assert "Victim Support (voluntary or community sector)" in page and "#other-partners" in page


def test_shown_in_the_staff_list_and_exports(personas, client_for, submitted):
    client = client_for(personas.programme_manager)
    page = client.get(f"/staff/rounds/{personas.round.slug}/bids/").content.decode()
    assert "Medway, Victim Support" in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/staff/rounds/{personas.round.slug}/bids/export.csv").getvalue().decode("utf-8-sig")
            )
        )
    )
    column = rows[0].index("Other partners")
    assert rows[1][column] == "Victim Support (voluntary or community sector)"
    sheet = load_workbook(
        io.BytesIO(client.get(f"/staff/rounds/{personas.round.slug}/bids/export.xlsx").getvalue())
    ).active
    assert sheet.cell(row=1, column=column + 1).value == "Other partners"
    assert sheet.cell(row=2, column=column + 1).value == "Victim Support (voluntary or community sector)"


# Issue 16, other partners: adding and removing is the draft's partners page (no new URL); anyone
# but the bid's editors is answered 404 and nothing changes.
@pytest.mark.parametrize(
    "who", ["partner_officer", "other_officer", "assessor", "programme_manager", "administrator", "board_viewer"]
)
def test_only_the_bids_editors_may_add_or_remove(personas, client_for, who):
    bid = start(personas)
    other = services.add_other_partner(bid=bid, actor=personas.lead_officer, name="Kent Police", kind="police")
    client = client_for(getattr(personas, who))
    assert _add(client, bid).status_code == 404
    assert client.post(f"/bids/{bid.pk}/partners/", {"remove_other": other.pk}).status_code == 404
    assert list(bid.other_partners.values_list("name", flat=True)) == ["Kent Police"]


def test_another_bids_other_partner_cannot_be_removed(personas, client_for):
    mine = start(personas)
    theirs = BidFactory(round=personas.round, lead=personas.other_org)
    other = OtherPartner.objects.create(bid=theirs, name="Leeds Police", kind="police")
    response = client_for(personas.lead_officer).post(f"/bids/{mine.pk}/partners/", {"remove_other": other.pk})
    assert response.status_code == 404 and OtherPartner.objects.filter(pk=other.pk).exists()


def test_shown_on_the_award_page(personas, client_for, submitted):
    from tests.awards.factories import AwardFactory

    award = AwardFactory(round=personas.round, lead=personas.lead_org, bid=submitted)
    page = client_for(personas.lead_officer).get(f"/awards/{award.pk}/").content.decode()
    assert "Other partners" in page and "Victim Support (voluntary or community sector)" in page


def test_the_task_list_names_them_and_they_do_not_wait(personas, client_for):
    bid = start(personas)
    services.add_other_partner(bid=bid, actor=personas.lead_officer, name="Kent Police", kind="police")
    page = client_for(personas.lead_officer).get(f"/bids/{bid.pk}/").content.decode()
    assert "Kent Police" in page and "Waiting" not in page
