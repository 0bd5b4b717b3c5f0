"""The home page after sign-in: each role sees its own work, nothing of anyone else's, and no
bid it is barred from; the page costs the same whatever the number of bids and rounds."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import BidStatus
from grants.awards.models import AwardStatus, ContactLogEntry, MonitoringReturn, ReturnStatus
from scoring.models import Assignment, Interest
from tests import factories as f
from tests.applications.factories import BidFactory
from tests.awards.factories import AwardFactory, ReturnPeriodFactory
from tests.scoring.factories import SubmittedBidFactory

HOME = "/"


def _page(client_for, user):
    response = client_for(user).get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_home_keeps_its_name():
    assert reverse("home") == HOME


def test_signed_out_sees_the_rounds(client, personas):
    body = client.get(HOME).content.decode()
    assert "Funding for councils" in body and "Your bids" not in body


def test_council_officer_sees_own_bids_next_action_and_rounds(client_for, personas):
    p = personas
    draft = BidFactory(round=p.round, lead=p.lead_org, title="Kent digital bid")
    BidFactory(round=p.round, lead=p.other_org, title="Leeds secret bid")
    other_round = f.RoundFactory(name="Cyber open round")
    body = _page(client_for, p.lead_officer)
    assert "Kent digital bid" in body
    assert "Complete and submit before the deadline" in body
    assert "Leeds secret bid" not in body
    # The round with a bid links to it instead of saying the council can apply.
    assert draft.get_absolute_url() in body
    assert "Cyber open round" in body and "closes" in body
    assert other_round.get_absolute_url() in body
    assert reverse("applications:bid_dashboard") in body


def test_council_b_sees_nothing_of_council_a(client_for, personas):
    p = personas
    BidFactory(round=p.round, lead=p.lead_org, title="Kent digital bid")
    AwardFactory(round=p.round, lead=p.lead_org, reference="AWT-KENT")
    body = _page(client_for, p.other_officer)
    assert "Kent digital bid" not in body and "AWT-KENT" not in body
    assert "Your council has no bids yet" in body


def test_offer_to_accept_is_due(client_for, personas):
    p = personas
    award = AwardFactory(round=p.round, lead=p.lead_org, reference="AWT-KENT", status=AwardStatus.OFFERED)
    body = _page(client_for, p.lead_officer)
    assert "Accept or decline the offer" in body and award.get_absolute_url() in body


def test_staff_without_council_role_see_no_your_bids(client_for, personas):
    # The conflicted assessor works for Kent but holds no council role there.
    for user in (personas.conflicted_assessor, personas.programme_manager, personas.finance_officer):
        body = _page(client_for, user)
        assert "Your bids" not in body and "Your awards" not in body
        assert f'href="{reverse("applications:bid_dashboard")}"' not in body


def test_council_officer_menu_has_no_staff_items(client_for, personas):
    body = _page(client_for, personas.lead_officer)
    assert "Your bids" in body and "Your awards" in body
    assert f'href="{reverse("grants:staff_home")}"' not in body and reverse("awards:portfolio") not in body
    assert reverse("scoring:round_index") not in body


def test_panel_member_sees_queue_counts_and_deadline(client_for, personas):
    p = personas
    p.round.closes_at = timezone.now() - timedelta(days=1)
    p.round.opens_at = timezone.now() - timedelta(days=30)
    p.round.assessment_deadline = timezone.now() + timedelta(days=10)
    p.round.save()
    for _ in range(3):
        Assignment.objects.create(bid=SubmittedBidFactory(round=p.round), assessor=p.assessor)
    body = _page(client_for, p.assessor)
    assert "To score: 3" in body and "In progress: 0" in body and "Done: 0" in body
    assert "Scoring deadline" in body
    assert "Your assessments" in body
    assert f'href="{reverse("grants:staff_home")}"' not in body


def test_manager_overview_counts_and_links(client_for, personas):
    p = personas
    SubmittedBidFactory(round=p.round)
    SubmittedBidFactory(round=p.round)
    AwardFactory(round=p.round, status=AwardStatus.OFFERED)
    response = client_for(p.programme_manager).get(HOME)
    home = response.context["home"]
    items = {(i.label, i.detail): i for i in home.manager}
    assert items[("Bids waiting for assignment", p.round.name)].count == 2
    assert items[("Offers not accepted", p.round.name)].count == 1
    for item in home.manager:
        path = item.url.split("?")[0]
        assert client_for(p.programme_manager).get(path).status_code == 200, item.label
    assert p.round.name in response.content.decode()


def test_manager_sees_returns_to_review_each_linked(client_for, personas):
    p = personas
    award = AwardFactory(round=p.round, status=AwardStatus.ACTIVE)
    mreturn = MonitoringReturn.objects.create(
        award=award,
        period=ReturnPeriodFactory(round=p.round),
        status=ReturnStatus.SUBMITTED,
        rag="green",
        submitted_at=timezone.now(),
    )
    client = client_for(p.programme_manager)
    body = client.get(HOME).content.decode()
    url = reverse("awards:return", args=[award.pk, mreturn.pk])
    assert url in body
    assert client.get(url).status_code == 200
    assert url not in _page(client_for, p.other_programme_manager)


def test_other_programme_manager_sees_nothing_of_this_programme(client_for, personas):
    p = personas
    SubmittedBidFactory(round=p.round)
    home = client_for(p.other_programme_manager).get(HOME).context["home"]
    assert all(i.detail != p.round.name for i in home.manager)


def test_conflict_barred_bids_are_not_counted(client_for, personas):
    """A manager who sits on the panel and declared an interest in a bid: it is in no count."""
    p = personas
    f.PanelMemberFactory(panel=p.round.panel, user=p.programme_manager)
    barred = SubmittedBidFactory(round=p.round)
    SubmittedBidFactory(round=p.round)
    Interest.objects.create(round=p.round, user=p.programme_manager, bid=barred, nature="Former employer")
    home = client_for(p.programme_manager).get(HOME).context["home"]
    items = {(i.label, i.detail): i for i in home.manager}
    assert items[("Bids waiting for assignment", p.round.name)].count == 1


def test_finance_officer_sees_payments_due(client_for, personas):
    p = personas
    award = AwardFactory(round=p.round, status=AwardStatus.ACCEPTED, amount=Decimal("1234.50"))
    AwardFactory(round=p.round, status=AwardStatus.OFFERED)  # not live: nothing to pay yet
    body = _page(client_for, p.finance_officer)
    assert "Payments due: 1" in body and "£1,234.50" in body
    pay = reverse("awards:payment", args=[award.pk, award.tranches.get().pk])
    assert pay in body
    assert client_for(p.finance_officer).get(pay).status_code == 200


def test_board_viewer_sees_the_board_report(client_for, personas):
    body = _page(client_for, personas.board_viewer)
    assert reverse("reporting:board_report") in body
    assert f'href="{reverse("grants:staff_home")}"' not in body


def _queries(client, user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(HOME).status_code == 200
    return len(ctx.captured_queries)


def _grow(p, n: int) -> None:
    today = timezone.localdate()
    for _ in range(n):
        r = f.RoundFactory(programme=p.programme)
        BidFactory(round=r, lead=p.lead_org, status=BidStatus.DRAFT)
        b = SubmittedBidFactory(round=p.round)
        Assignment.objects.create(bid=b, assessor=p.assessor)
        award = AwardFactory(round=p.round, lead=p.lead_org, status=AwardStatus.ACCEPTED)
        # Issue 17: a follow-up due on each award, and another round's award with one too.
        other = AwardFactory(round=r, lead=p.lead_org, status=AwardStatus.ACTIVE)
        for a in (award, other):
            ContactLogEntry.objects.create(
                award=a, held_on=today, kind="phone", participants="Jo", agreed="Call", follow_up_by=today,
                logged_by=p.programme_manager,
            )  # fmt: skip


@pytest.mark.parametrize(
    "who",
    [
        "lead_officer",
        "assessor",
        "panel_chair",
        "programme_manager",
        "finance_officer",
        "board_viewer",
        "administrator",
    ],
)
def test_query_count_is_flat(client_for, personas, who):
    p = personas
    user = getattr(p, who)
    client = client_for(user)
    _grow(p, 2)
    few = _queries(client, user)
    _grow(p, 18)
    assert _queries(client, user) == few


def test_targeted_round_not_inviting_the_council_is_not_offered(client_for, personas):
    p = personas
    invited = f.RoundFactory(name="Cyber targeted round")
    invited.eligible_organisations.add(p.other_org)
    body = _page(client_for, p.lead_officer)
    assert "Cyber targeted round" not in body
    assert "Cyber targeted round" in _page(client_for, p.other_officer)


def test_funded_bid_says_its_award_needs_the_offer_accepted(client_for, personas):
    """A funded bid whose offer waits says so beside the bid, not "No action needed"."""
    p = personas
    bid = BidFactory(round=p.round, lead=p.lead_org, title="Kent funded bid", status=BidStatus.FUNDED)
    AwardFactory(round=p.round, lead=p.lead_org, bid=bid, status=AwardStatus.OFFERED)
    body = _page(client_for, p.lead_officer)
    row = body[body.index("Kent funded bid") :]
    row = row[: row.index("</tr>")]
    assert "No action needed" not in row and "offer" in row.lower()


def test_moderation_of_a_round_assessed_early_is_on_the_chair_and_manager_homes(client_for, personas):
    """Early assessment (`scoring.services.assessment_open`): bids scored while the round is open
    can need moderation before it closes, and the homes say so, as for a closed round."""
    from scoring.models import Scale
    from tests.scoring.factories import CriterionFactory, declare
    from tests.scoring.helpers import assign_and_submit

    p = personas
    rnd = p.round
    type(rnd).objects.filter(pk=rnd.pk).update(
        opens_at=timezone.now() - timedelta(days=10), closes_at=timezone.now() + timedelta(days=20)
    )
    rnd.refresh_from_db()
    quality = CriterionFactory(round=rnd, name="Quality", weight=1, scale=Scale.ZERO_FOUR)
    bid = SubmittedBidFactory(round=rnd)
    for user in (p.assessor, p.panel_chair):
        declare(user, rnd)
    type(rnd).objects.filter(pk=rnd.pk).update(allow_early_assessment=True)
    rnd.refresh_from_db()
    assign_and_submit(bid=bid, assessor=p.assessor, criteria=[quality], scores={quality: 4})
    assign_and_submit(bid=bid, assessor=p.panel_chair, criteria=[quality], scores={quality: 0})  # 100 points apart

    assert "Moderation waiting: 1" in _page(client_for, p.panel_chair)
    home = client_for(p.programme_manager).get(HOME).context["home"]
    items = {(i.label, i.detail): i for i in home.manager}
    assert items[("Moderation needed", rnd.name)].count == 1
