"""Who sees which bid and file. Everything a user may not see answers 404, including guessed ids."""

import pytest
from django.urls import reverse

from applications import services
from applications.models import BidStatus, PartnerStatus

from .factories import PDF, BidFactory, BidPartnerFactory, upload

VIEWERS = {
    "anonymous": False,
    "lead_officer": True,
    "partner_officer": True,  # confirmed partner: read-only
    "other_officer": False,
    "assessor": False,  # assessment grants access through scoring.permissions, not here
    "conflicted_assessor": False,  # works for the lead council but holds no council role there
    "panel_chair": False,
    "programme_manager": True,
    "other_programme_manager": False,
    "finance_officer": True,
    "board_viewer": True,
    "administrator": True,
}


@pytest.fixture
def joint_bid(personas, form):
    bid = BidFactory(round=personas.round, lead=personas.lead_org, created_by=personas.lead_officer)
    BidPartnerFactory(bid=bid, organisation=personas.partner_org, status=PartnerStatus.CONFIRMED)
    evidence = services.upload_evidence(
        bid=bid, actor=personas.lead_officer, upload=upload("plan.pdf", PDF), question=form["plan"]
    )
    return bid, evidence


def _urls(bid, evidence):
    return [
        reverse("applications:bid_detail", args=[bid.pk]),
        reverse("applications:bid_history", args=[bid.pk]),
        reverse("applications:evidence_download", args=[bid.pk, evidence.pk]),
    ]


@pytest.mark.parametrize("who, allowed", VIEWERS.items())
def test_bid_and_file_visibility_matrix(personas, client_for, joint_bid, who, allowed):
    user = personas.all()[who]
    if who == "assessor":
        pytest.importorskip("scoring.permissions")
    for url in _urls(*joint_bid):
        response = client_for(user).get(url)
        if user is None:
            assert response.status_code == 302, url  # to sign in
        elif allowed:
            assert response.status_code == 200, (who, url)
        else:
            assert response.status_code == 404, (who, url)


def test_file_download_is_the_stored_file_and_private(personas, client_for, joint_bid):
    bid, evidence = joint_bid
    response = client_for(personas.lead_officer).get(
        reverse("applications:evidence_download", args=[bid.pk, evidence.pk])
    )
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "private, no-store"


def _bid_patterns():
    """Every bidding URL that names a bid by id, read from the URL conf so a new one is covered."""
    from applications.urls import urlpatterns

    return [p for p in urlpatterns if "bids/<int:pk>/" in str(p.pattern)]


def test_every_bid_and_file_url_is_covered():
    names = {p.name for p in _bid_patterns()}
    assert len(names) == 19 and {"evidence_download", "evidence_delete", "staff_bid_return"} <= names


def test_id_guessing_finds_nothing(personas, client_for, joint_bid, form):
    """Another council's officer, on every bid and file URL, GET and POST, with the bid's real id
    and with ids that do not exist, finds nothing: 404 (405 for a GET of a POST-only action)."""
    bid, evidence = joint_bid
    theirs = BidFactory(round=personas.round, lead=personas.other_org, created_by=personas.other_officer)
    client = client_for(personas.other_officer)
    post_only = {"evidence_delete", "clarification_close", "bid_note_add"}
    checked = 0
    for pattern in _bid_patterns():
        for pk, file_pk in ((bid.pk, evidence.pk), (bid.pk + 1000, evidence.pk), (theirs.pk, evidence.pk)):
            kwargs = {
                "pk": pk,
                "slug": personas.round.slug,
                "section_pk": form["about"].pk,
                "file_pk": file_pk,
                "cpk": 1,
            }
            url = reverse(f"applications:{pattern.name}", kwargs={k: kwargs[k] for k in pattern.pattern.converters})
            if pk == theirs.pk and pattern.name not in ("evidence_download", "evidence_delete"):
                continue  # their own bid is theirs to see; only another bid's file must not be
            expected_get = 405 if pattern.name in post_only else 404
            assert client.get(url).status_code == expected_get, url
            assert client.post(url, {"decision": "confirm", "reason": "x", "title": "x"}).status_code == 404, url
            checked += 1
    assert checked == 19 * 2 + 2
    assert bid.evidence.count() == 1 and bid.partners.get().status == PartnerStatus.CONFIRMED


def test_partner_reads_but_cannot_edit(personas, client_for, joint_bid, form):
    bid, _ = joint_bid
    client = client_for(personas.partner_officer)
    assert b"Check your answers" not in client.get(f"/bids/{bid.pk}/").content
    for url in (f"/bids/{bid.pk}/details/", f"/bids/{bid.pk}/sections/{form['about'].pk}/", f"/bids/{bid.pk}/check/"):
        assert client.get(url).status_code == 404


def test_requested_partner_sees_only_the_confirmation_page(personas, client_for, form):
    bid = BidFactory(round=personas.round, lead=personas.lead_org, created_by=personas.lead_officer)
    BidPartnerFactory(bid=bid, organisation=personas.partner_org)
    client = client_for(personas.partner_officer)
    assert client.get(f"/bids/{bid.pk}/").status_code == 404
    assert client.get(f"/bids/{bid.pk}/partner/").status_code == 200
    assert client_for(personas.other_officer).get(f"/bids/{bid.pk}/partner/").status_code == 404
    response = client.post(f"/bids/{bid.pk}/partner/", {"decision": "confirm"})
    assert response.status_code == 302
    assert bid.partners.get().status == PartnerStatus.CONFIRMED


def test_submitted_bid_is_read_only_to_its_council(personas, client_for):
    bid = BidFactory(
        round=personas.round, lead=personas.lead_org, created_by=personas.lead_officer, status=BidStatus.SUBMITTED
    )
    client = client_for(personas.lead_officer)
    assert client.get(f"/bids/{bid.pk}/details/").status_code == 404
    assert client.post(f"/bids/{bid.pk}/details/", {"title": "x"}).status_code == 404


@pytest.mark.parametrize("who", ["lead_officer", "other_programme_manager", "finance_officer"])
def test_only_programme_managers_return_or_mark_ineligible(personas, client_for, who):
    bid = BidFactory(round=personas.round, lead=personas.lead_org, status=BidStatus.SUBMITTED)
    client = client_for(personas.all()[who])
    for action in ("return", "ineligible"):
        assert client.get(f"/staff/rounds/{personas.round.slug}/bids/{bid.pk}/{action}/").status_code == 404


def test_staff_list_hidden_from_councils_and_other_programmes(personas, client_for):
    url = reverse("applications:staff_bid_list", args=[personas.round.slug])
    assert client_for(personas.lead_officer).get(url).status_code == 404
    assert client_for(personas.other_programme_manager).get(url).status_code == 404
    assert client_for(personas.programme_manager).get(url).status_code == 200
