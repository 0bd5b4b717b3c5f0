"""Joining a council: domains an organisation owns, requests to join and who decides them."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from applications.models import Bid
from grants import membership
from grants.models import AuditEvent, MembershipRequest, MembershipStatus, OrganisationDomain, OrgRole, User
from tests import factories as f
from tests.security.world import build_world

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-pass-phrase-1"


@pytest.fixture
def kent(personas):
    OrganisationDomain.objects.create(organisation=personas.lead_org, domain="kent.gov.uk")
    return personas.lead_org


@pytest.fixture
def world(personas):
    return build_world(personas)


def _sign_up_and_confirm(client, email: str) -> User:
    client.post("/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD})
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    return User.objects.get(email=email)


def _request(user, organisation, domain=""):
    return MembershipRequest.objects.create(user=user, organisation=organisation, matched_domain=domain)


def test_signup_at_a_council_domain_asks_its_signatory(client, personas, kent):
    user = _sign_up_and_confirm(client, "new.officer@kent.gov.uk")
    request = MembershipRequest.objects.get(user=user)
    assert (request.organisation, request.matched_domain, request.status) == (kent, "kent.gov.uk", "pending")
    assert user.organisation is None
    client.force_login(user)
    body = client.get(reverse("home")).content.decode()
    assert "Your request to join Kent County Council is waiting for approval by its signatory" in body
    assert AuditEvent.objects.filter(action="membership.request", target_id=str(user.pk)).exists()


def test_a_council_without_a_signatory_is_decided_by_the_programme_team(client, personas, kent):
    personas.signatory.delete()
    user = _sign_up_and_confirm(client, "new.officer@kent.gov.uk")
    client.force_login(user)
    body = client.get(reverse("home")).content.decode()
    assert "waiting for approval by the programme team" in body


def test_a_subdomain_matches_its_parent(personas, kent):
    assert membership.domain_match("officer@social-care.kent.gov.uk").organisation == kent
    assert membership.domain_match("officer@notkent.gov.uk") is None
    assert membership.domain_match("officer@gov.uk") is None


def test_the_most_particular_domain_wins(personas, kent):
    OrganisationDomain.objects.create(organisation=personas.partner_org, domain="medway.kent.gov.uk")
    assert membership.domain_match("a@x.medway.kent.gov.uk").organisation == personas.partner_org


def test_public_mail_domains_never_match(client, personas, kent):
    OrganisationDomain.objects.create(organisation=personas.other_org, domain="gmail.com")  # bad data
    assert membership.domain_match("someone@gmail.com") is None
    user = _sign_up_and_confirm(client, "someone@gmail.com")
    assert not MembershipRequest.objects.filter(user=user).exists()


def test_no_match_searches_and_asks_the_programme_team(client_for, personas, kent):
    user = f.UserFactory(email="someone@example.net")
    client = client_for(user)
    body = client.get(reverse("home")).content.decode()
    assert reverse("grants:join") in body and "Ask to join your council" in body
    page = client.get(reverse("grants:join"), {"q": "Kent"}).content.decode()
    assert "the programme team checks with the council" in page and "Kent County Council" in page
    client.post(reverse("grants:join"), {"organisation": kent.pk})
    request = MembershipRequest.objects.get(user=user)
    assert request.matched_domain == "" and not membership.goes_to_signatory(request)
    assert "waiting for approval by the programme team" in client.get(reverse("home")).content.decode()
    # The signatory does not see it: the address proves nothing. An administrator does.
    assert request not in membership.requests_to_decide(user=personas.signatory)
    assert client_for(personas.signatory).get(reverse("grants:join_request", args=[request.pk])).status_code == 404
    staff_page = client_for(personas.administrator).get(reverse("grants:staff_join_requests")).content.decode()
    assert "Chosen from a search" in staff_page and user.email in staff_page


def test_requests_are_idempotent_and_linked_people_cannot_ask(personas, kent):
    user = f.UserFactory(email="a@kent.gov.uk")
    first = membership.request_join(user=user, organisation=kent)
    assert membership.request_join(user=user, organisation=kent) == first
    with pytest.raises(membership.MembershipError, match="already asked to join Kent"):
        membership.request_join(user=user, organisation=personas.other_org)
    with pytest.raises(membership.MembershipError, match="already linked to Kent"):
        membership.request_join(user=personas.lead_officer, organisation=personas.other_org)
    assert MembershipRequest.objects.filter(user=user).count() == 1
    with pytest.raises(membership.MembershipError, match="only ask to join a council"):
        membership.request_join(user=f.UserFactory(email="x@example.net"), organisation=personas.programme.funder)


def test_deciders_are_told_of_a_new_request(personas, kent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        membership.request_join(user=f.UserFactory(email="f@kent.gov.uk", full_name="Fay Field"), organisation=kent)
        membership.request_join(user=f.UserFactory(email="g@example.net", full_name="Gil Search"), organisation=kent)
    to_signatory = [m for m in mail.outbox if m.to == [personas.signatory.email]]
    to_admin = [m for m in mail.outbox if m.to == [personas.administrator.email]]
    assert len(to_signatory) == 1 and to_signatory[0].subject.endswith("Fay Field asks to join Kent County Council")
    assert "kent.gov.uk" in to_signatory[0].body
    assert [m.subject for m in to_admin][-1].endswith("Gil Search asks to join Kent County Council")
    assert "check with the organisation" in to_admin[-1].body


def test_signatory_approves_and_the_officer_can_start_a_bid(
    client_for, personas, kent, django_capture_on_commit_callbacks
):
    user = f.UserFactory(email="b@kent.gov.uk", full_name="Bea Newcomer")
    request = _request(user, kent, "kent.gov.uk")
    signatory = client_for(personas.signatory)
    assert "Requests to join (1)" in signatory.get(reverse("home")).content.decode()
    listing = signatory.get(reverse("grants:join_requests")).content.decode()
    assert "Bea Newcomer" in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = signatory.post(reverse("grants:join_request", args=[request.pk]), {"decision": "approve"})
    assert response.status_code == 302
    user.refresh_from_db()
    request.refresh_from_db()
    assert (user.organisation, user.org_role) == (kent, OrgRole.OFFICER)
    assert (request.status, request.decided_by) == (MembershipStatus.APPROVED, personas.signatory)
    assert AuditEvent.objects.filter(action="membership.approved", target_id=str(user.pk)).exists()
    assert any(m.to == [user.email] and "You can now work for Kent County Council" in m.subject for m in mail.outbox)
    officer = client_for(user)
    officer.post(
        reverse("applications:bid_start", args=[personas.round.slug]),
        {"title": "New officer's bid", "summary": "Summary", "amount_requested": "20000", "match_funding": "0"},
    )
    assert Bid.objects.filter(round=personas.round, lead=kent, title="New officer's bid").exists()
    # Decided once: deciding again is refused.
    assert signatory.get(reverse("grants:join_request", args=[request.pk])).status_code == 404


def test_decline_needs_a_reason_and_emails_it(client_for, personas, kent, django_capture_on_commit_callbacks):
    user = f.UserFactory(email="c@kent.gov.uk")
    request = _request(user, kent, "kent.gov.uk")
    signatory = client_for(personas.signatory)
    url = reverse("grants:join_request", args=[request.pk])
    body = signatory.post(url, {"decision": "decline", "reason": ""}).content.decode()
    assert "govuk-error-summary" in body and "Enter the reason" in body
    with django_capture_on_commit_callbacks(execute=True):
        signatory.post(url, {"decision": "decline", "reason": "Not on our staff list"})
    request.refresh_from_db()
    user.refresh_from_db()
    assert request.status == MembershipStatus.DECLINED and user.organisation is None
    (email,) = [m for m in mail.outbox if m.to == [user.email]]
    assert "declined" in email.subject and "Not on our staff list" in email.body
    assert "Not on our staff list" in client_for(user).get(reverse("home")).content.decode()


def test_another_councils_signatory_gets_404(client_for, personas, kent):
    request = _request(f.UserFactory(email="d@kent.gov.uk"), kent, "kent.gov.uk")
    other = f.UserFactory(email="sig@leeds.example.com", organisation=personas.other_org, org_role=OrgRole.SIGNATORY)
    client = client_for(other)
    url = reverse("grants:join_request", args=[request.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert "d@kent.gov.uk" not in client.get(reverse("grants:join_requests")).content.decode()
    with pytest.raises(membership.MembershipError):
        membership.decide(actor=other, request=request, approve=True)
    request.refresh_from_db()
    assert request.status == MembershipStatus.PENDING


def test_until_approved_the_person_sees_nothing_of_the_council(client_for, personas, kent, world):
    user = f.UserFactory(email="e@kent.gov.uk")
    _request(user, kent, "kent.gov.uk")
    client = client_for(user)
    secrets = [world.bid.title, world.bid.reference, world.award.title, world.award.reference]
    pages = [
        reverse("home"),
        reverse("applications:bid_dashboard"),
        reverse("awards:dashboard"),
        reverse("notifications:centre"),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert not [s for s in secrets if s in body], url
    for url in (world.bid.get_absolute_url(), reverse("awards:detail", args=[world.award.pk])):
        assert client.get(url).status_code == 404, url
    # The control: the council's officer sees them.
    assert (
        world.bid.title in client_for(personas.lead_officer).get(reverse("applications:bid_dashboard")).content.decode()
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("officer@kent.gov.uk", "without the @"),
        ("not a domain", "is not a domain"),
        ("localhost", "is not a domain"),
        ("gmail.com", "public email service"),
        ("hotmail.co.uk", "public email service"),
        ("btinternet.com", "public email service"),
        ("medway.gov.uk", "already belongs to Medway"),
    ],
)
def test_domain_validation_on_the_organisation_page(client_for, personas, typed, message):
    OrganisationDomain.objects.create(organisation=personas.partner_org, domain="medway.gov.uk")
    url = reverse("grants:staff_organisation_domains", args=[personas.lead_org.pk])
    body = client_for(personas.administrator).post(url, {"domains": f"kent.gov.uk\n{typed}"}).content.decode()
    assert "govuk-error-summary" in body and message in body
    assert not personas.lead_org.domains.exists()  # nothing saved


def test_domains_are_saved_lowercase_and_audited(client_for, personas):
    url = reverse("grants:staff_organisation_domains", args=[personas.lead_org.pk])
    response = client_for(personas.administrator).post(url, {"domains": "Kent.GOV.uk\n\nkent.gov.uk\nkent.example.com"})
    assert response.status_code == 302
    assert sorted(personas.lead_org.domains.values_list("domain", flat=True)) == ["kent.example.com", "kent.gov.uk"]
    assert AuditEvent.objects.filter(action="organisation.domains", target_id=str(personas.lead_org.pk)).exists()
    assert client_for(personas.programme_manager).get(url).status_code == 403


def test_the_search_lists_councils_even_when_other_bodies_match_first(client_for, personas):
    """Twenty-five police forces named like the council come first in the ranking; the council is
    still offered, because other bodies are dropped before the list is cut to twenty."""
    for n in range(25):
        f.OrganisationFactory(name=f"Northshire Police {n}", short_name=f"Northshire P{n}", kind="police")
    council = f.OrganisationFactory(name="Northshire Zeta Council", short_name="Northshire Zeta")
    page = client_for(f.UserFactory(email="someone@example.net")).get(reverse("grants:join"), {"q": "Northshire"})
    body = page.content.decode()
    assert council.name in body and "Northshire Police" not in body
