"""The conflict matrix: no page, file, export or score of a conflicted bid reaches the
conflicted assessor, whether the conflict is automatic (their own council leads or partners
the bid) or declared (an interest, or a conflict found while assessing)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import BidPartner, EvidenceFile, PartnerStatus
from notifications.models import Notification
from scoring import services
from scoring.models import Assignment, Scale

from .factories import CriterionFactory, SubmittedBidFactory, declare
from .helpers import assign_and_submit

pytestmark = pytest.mark.django_db


def _evidence(bid):
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    return EvidenceFile.objects.create(
        bid=bid, file=upload, original_name="plan.pdf", content_type="application/pdf", size=13
    )


@pytest.fixture
def world(personas):
    rnd = personas.round
    criteria = [
        CriterionFactory(round=rnd, name="Quality", scale=Scale.ZERO_FOUR),
        CriterionFactory(round=rnd, name="Eligible", scale=Scale.GATEWAY),
    ]
    own = SubmittedBidFactory(round=rnd, lead=personas.lead_org)  # conflicted_assessor's own council
    partnered = SubmittedBidFactory(round=rnd, lead=personas.other_org)
    BidPartner.objects.create(bid=partnered, organisation=personas.lead_org, status=PartnerStatus.CONFIRMED)
    clean = SubmittedBidFactory(round=rnd)
    for bid in (own, partnered, clean):
        _evidence(bid)
    for person in (personas.assessor, personas.conflicted_assessor, personas.panel_chair):
        declare(person, rnd)
    # Another assessor scores every bid, so there are scores to leak.
    from tests import factories as f

    scorer = f.UserFactory()
    f.PanelMemberFactory(panel=rnd.panel, user=scorer)
    declare(scorer, rnd)
    for bid in (own, partnered, clean):
        assign_and_submit(bid=bid, assessor=scorer, criteria=criteria, scores={criteria[0]: 3, criteria[1]: 1})
    return rnd, own, partnered, clean


def _urls(rnd, bid):
    file = bid.evidence.first()
    return {
        "assess": reverse("scoring:assess_bid", args=[rnd.slug, bid.pk]),
        "conflict": reverse("scoring:conflict", args=[rnd.slug, bid.pk]),
        "file": reverse("applications:evidence_download", args=[bid.pk, file.pk]),
        "bid": reverse("applications:bid_detail", args=[bid.pk]),
        "history": reverse("applications:bid_history", args=[bid.pk]),
        "moderate": reverse("scoring:moderate_bid", args=[rnd.slug, bid.pk]),
        "decide": reverse("scoring:decision_edit", args=[rnd.slug, bid.pk]),
        "csv": reverse("scoring:export_scores", args=[rnd.slug, "csv"]),
        "xlsx": reverse("scoring:export_scores", args=[rnd.slug, "xlsx"]),
        "pack": reverse("scoring:panel_pack", args=[rnd.slug]),
        "ranking": reverse("scoring:ranking", args=[rnd.slug]),
        "register": reverse("scoring:interests", args=[rnd.slug]),
    }


def _assert_nothing_reachable(client, rnd, bid, *, skip=()):
    for name, url in _urls(rnd, bid).items():
        if name in skip:
            continue
        response = client.get(url)
        assert response.status_code in (403, 404), (name, response.status_code)
    queue = client.get(reverse("scoring:queue", args=[rnd.slug]))
    assert queue.status_code == 200
    table = queue.content.decode().split('data-testid="queue"', 1)[1]
    assert bid.reference not in table


def test_an_automatic_conflict_can_never_be_assigned(personas, world):
    rnd, own, partnered, clean = world
    for bid in (own, partnered):
        with pytest.raises(services.AssessmentError):
            services.assign(bid=bid, assessor=personas.conflicted_assessor, actor=personas.programme_manager)
    services.assignment_auto(round=rnd, actor=personas.programme_manager, per_bid=3)
    mine = set(Assignment.objects.filter(assessor=personas.conflicted_assessor).values_list("bid_id", flat=True))
    assert mine == {clean.pk}


def test_automatic_conflict_matrix_even_with_a_stale_assignment_row(personas, world, client_for):
    rnd, own, partnered, _ = world
    for bid in (own, partnered):  # a row written behind the services' back still opens nothing
        Assignment.objects.create(bid=bid, assessor=personas.conflicted_assessor)
    client = client_for(personas.conflicted_assessor)
    # Their own council leads one bid and partners the other, but they hold no council role
    # there, and the conflict would shut the council's pages anyway: nothing reaches them.
    _assert_nothing_reachable(client, rnd, own)
    _assert_nothing_reachable(client, rnd, partnered)


def test_a_declared_interest_shuts_every_door_and_withdraws_the_assignment(personas, world, client_for):
    rnd, _, _, clean = world
    services.assign(bid=clean, assessor=personas.assessor, actor=personas.programme_manager)
    client = client_for(personas.assessor)
    urls = _urls(rnd, clean)
    assert client.get(urls["assess"]).status_code == 200
    assert client.get(urls["file"]).status_code == 200
    assert client.get(urls["bid"]).status_code == 200 and client.get(urls["history"]).status_code == 200
    services.interest_add(
        round=rnd, user=personas.assessor, organisation=clean.lead, nature="My sister is its chief executive"
    )
    row = Assignment.objects.get(bid=clean, assessor=personas.assessor)
    assert row.withdrawn_at is not None and row.needs_reassignment
    _assert_nothing_reachable(client, rnd, clean)
    assert Notification.objects.filter(event="conflict_declared", recipient=personas.programme_manager).exists()


def test_declaring_a_conflict_on_an_assigned_bid_withdraws_access_at_once(personas, world, client_for):
    rnd, _, _, clean = world
    services.assign(bid=clean, assessor=personas.assessor, actor=personas.programme_manager)
    client = client_for(personas.assessor)
    url = reverse("scoring:conflict", args=[rnd.slug, clean.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"nature": "I advised this council on the bid"})
    assert response.status_code == 302
    _assert_nothing_reachable(client, rnd, clean)
    table = client_for(personas.programme_manager).get(reverse("scoring:assignments", args=[rnd.slug]))
    assert "Reassign: conflict" in table.content.decode()
    note = Notification.objects.get(event="conflict_declared", recipient=personas.programme_manager, channel="in_app")
    assert clean.reference in note.subject
    # It cannot be assigned back.
    with pytest.raises(services.AssessmentError):
        services.assign(bid=clean, assessor=personas.assessor, actor=personas.programme_manager)


def test_a_conflicted_chair_cannot_moderate_or_see_the_bid(personas, world, client_for):
    rnd, own, _, clean = world
    services.interest_add(round=rnd, user=personas.panel_chair, organisation=clean.lead, nature="Former employer")
    client = client_for(personas.panel_chair)
    assert client.get(reverse("scoring:moderate_bid", args=[rnd.slug, clean.pk])).status_code == 404
    page = client.get(reverse("scoring:moderation", args=[rnd.slug]))
    assert page.status_code == 200 and clean.reference not in page.content.decode()
    with pytest.raises(services.AssessmentError):
        services.moderated_score_record(
            bid=clean, criterion=rnd.criteria.first(), score=2, reason="x", actor=personas.panel_chair
        )


def test_no_bid_is_shown_before_the_declaration(personas, world, client_for):
    rnd, _, _, clean = world
    from tests import factories as f

    newcomer = f.UserFactory()
    f.PanelMemberFactory(panel=rnd.panel, user=newcomer)
    from tests.conftest import enable_mfa

    enable_mfa(newcomer)
    Assignment.objects.create(bid=clean, assessor=newcomer)
    client = client_for(newcomer)
    response = client.get(reverse("scoring:queue", args=[rnd.slug]))
    assert response.status_code == 302 and response.url == reverse("scoring:declaration", args=[rnd.slug])
    assert client.get(reverse("scoring:assess_bid", args=[rnd.slug, clean.pk])).status_code == 404
    assert client.get(_urls(rnd, clean)["file"]).status_code == 404
    client.post(reverse("scoring:declaration", args=[rnd.slug]), {"action": "confirm"})
    assert client.get(reverse("scoring:assess_bid", args=[rnd.slug, clean.pk])).status_code == 200


@pytest.mark.parametrize(
    "who,expected",
    [
        ("anonymous", 302),
        ("lead_officer", 404),
        ("other_officer", 404),
        ("assessor", 404),
        ("conflicted_assessor", 404),
        ("panel_chair", 404),
        ("programme_manager", 200),
        ("other_programme_manager", 404),
        ("board_viewer", 200),
        ("finance_officer", 200),
        ("administrator", 200),
    ],
)
def test_ranking_and_exports_matrix(personas, world, client_for, who, expected):
    rnd = world[0]
    client = client_for(personas.all()[who])
    for name in ("ranking", "csv", "xlsx", "pack"):
        assert client.get(_urls(rnd, world[3])[name]).status_code == expected, name


def _moderate_and_propose(personas, bid):
    quality = bid.round.criteria.get(name="Quality")
    services.moderated_score_record(
        bid=bid, criterion=quality, score=1, reason="SECRET-REASON", actor=personas.panel_chair
    )
    services.decision_propose(
        bid=bid,
        actor=personas.programme_manager,
        outcome="not_funded",
        feedback="x",
        assessments_override="SECRET-OVERRIDE",  # one of two assessments: the reason stays with staff too
    )


SECRETS = (
    "Quality: 1",
    "SECRET-REASON",
    "SECRET-OVERRIDE",
    "Not funded",
    "not_funded",
    "moderat",
    "chair@example.com",
    "pm@example.com",
)


def test_the_council_cannot_see_moderation_or_a_proposed_decision(personas, world, client_for):
    rnd, own, _, _ = world
    _moderate_and_propose(personas, own)
    client = client_for(personas.lead_officer)
    for name in ("bid", "history"):
        response = client.get(_urls(rnd, own)[name])
        assert response.status_code == 200
        body = response.content.decode()
        assert [s for s in SECRETS if s in body] == [], name
    # Once confirmed, the outcome (and only the outcome) reaches the council.
    services.decisions_confirm(round=rnd, bid_ids=[own.pk], actor=personas.programme_manager)
    body = client.get(_urls(rnd, own)["history"]).content.decode()
    assert "Not funded" in body and "SECRET-REASON" not in body and "Quality: 1" not in body


def test_an_assessor_who_has_not_submitted_sees_no_moderated_score(personas, world, client_for):
    rnd, _, _, clean = world
    _moderate_and_propose(personas, clean)
    services.assign(bid=clean, assessor=personas.assessor, actor=personas.programme_manager)
    client = client_for(personas.assessor)
    for name in ("bid", "history", "assess"):
        response = client.get(_urls(rnd, clean)[name])
        assert response.status_code == 200
        body = response.content.decode()
        assert "SECRET-REASON" not in body and "Quality: 1" not in body, name
