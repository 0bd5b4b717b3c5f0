"""The queue page after issue 19 (one lookup for the round, the member and their declaration; one
for their interests; rows as tuples): it still refuses anyone off the round's panel, still asks
for the declaration of *this* round, and still leaves out every conflicted bid, by each route, from
both the rows and the counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import BidPartner, PartnerStatus
from grants.models import Round
from scoring.models import Assessment, Assignment, Interest
from tests import factories as f
from tests.conftest import enable_mfa

from .factories import SubmittedBidFactory, declare

pytestmark = pytest.mark.django_db


def _queue(client, rnd) -> str:
    response = client.get(reverse("scoring:queue", args=[rnd.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_only_a_member_of_this_rounds_panel_sees_it(personas, client_for):
    rnd = personas.round
    other = f.RoundFactory()
    f.PanelMemberFactory(panel=f.PanelFactory(round=other), user=personas.assessor)
    declare(personas.assessor, other)
    outsider = f.UserFactory()
    enable_mfa(outsider)
    f.PanelMemberFactory(panel=f.PanelFactory(round=f.RoundFactory()), user=outsider)
    assert client_for(outsider).get(reverse("scoring:queue", args=[rnd.slug])).status_code == 404
    client = client_for(personas.assessor)
    assert client.get(reverse("scoring:queue", args=["no-such-round"])).status_code == 404
    # Declared in the other round only: this round's queue still asks for a declaration.
    response = client.get(reverse("scoring:queue", args=[rnd.slug]))
    assert response.status_code == 302 and response.url == reverse("scoring:declaration", args=[rnd.slug])
    declare(personas.assessor, rnd)
    assert "0 bids to assess" in _queue(client, rnd)


def test_a_conflicted_bid_is_in_neither_the_rows_nor_the_counts(personas, client_for):
    """Assignments made before each interest came to light (the services would have withdrawn
    them): the page itself must still leave the bids out, whichever way the conflict arises."""
    rnd, me = personas.round, personas.assessor
    declare(me, rnd)
    named = SubmittedBidFactory(round=rnd)
    led = SubmittedBidFactory(round=rnd, lead=personas.other_org)
    partnered = SubmittedBidFactory(round=rnd)
    BidPartner.objects.create(bid=partnered, organisation=personas.other_org, status=PartnerStatus.CONFIRMED)
    own = SubmittedBidFactory(round=rnd, lead=me.organisation)
    declined = SubmittedBidFactory(round=rnd)  # a partner that declined is no conflict
    BidPartner.objects.create(bid=declined, organisation=personas.other_org, status=PartnerStatus.DECLINED)
    clean = SubmittedBidFactory(round=rnd)
    bids = [named, led, partnered, own, declined, clean]
    rows = Assignment.objects.bulk_create([Assignment(bid=b, assessor=me) for b in bids])
    for row in rows:  # every conflicted bid has been scored: the counts would show it
        Assessment.objects.create(assignment=row, bid=row.bid, submitted_version=1, status="submitted")
    Interest.objects.create(round=rnd, user=me, bid=named, nature="My brother wrote it")
    Interest.objects.create(round=rnd, user=me, organisation=personas.other_org, nature="I sit on its board")
    body = _queue(client_for(me), rnd)
    table = body.split('data-testid="queue"', 1)[1].split("</table>", 1)[0]
    for bid in (named, led, partnered, own):
        assert bid.reference not in body, bid.title
    assert declined.reference in table and clean.reference in table and table.count("<tr") == 3
    assert "2 bids to assess: 0 not started, 0 in progress, 2 submitted." in body


def test_each_rows_state_agrees_with_the_counts_and_links_only_when_scoring_is_open(personas, client_for):
    rnd, me = personas.round, personas.assessor
    declare(me, rnd)
    fresh, drafted, sent = (SubmittedBidFactory(round=rnd, title=t) for t in ("Fresh", "Drafted", "Sent"))
    rows = Assignment.objects.bulk_create([Assignment(bid=b, assessor=me) for b in (fresh, drafted, sent)])
    Assessment.objects.create(assignment=rows[1], bid=drafted)
    Assessment.objects.create(assignment=rows[2], bid=sent, submitted_version=2, status="submitted")
    client = client_for(me)
    body = _queue(client, rnd)  # the round has closed: scoring is open
    assert "3 bids to assess: 1 not started, 1 in progress, 1 submitted." in body
    for bid, tag in ((fresh, "grey"), (drafted, "yellow"), (sent, "green")):
        href = reverse("scoring:assess_bid", args=[rnd.slug, bid.pk])
        link = f'<a class="govuk-link" href="{href}">{bid.reference}</a>'
        assert f"govuk-tag--{tag}" in body.split(link, 1)[1].split("</tr>", 1)[0], bid.title
    Round.objects.filter(pk=rnd.pk).update(closes_at=timezone.now() + timedelta(days=1))
    body = _queue(client, rnd)
    assert 'data-testid="not-open"' in body and 'href="/assess/this-round/bids/' not in body
    for bid in (fresh, drafted, sent):
        assert f'<td class="govuk-table__cell">{bid.reference}</td>' in body
