"""A two-stage round's EOI criteria and the short scores given with a triage proposal: the
criteria pages and their lock, scores on the propose page, totals and order on the triage list,
its query count, and who may see any of it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants.models import AuditEvent
from scoring.demo_eoi import CRITERIA as DEMO_CRITERIA
from scoring.demo_eoi import seed as seed_demo_criteria
from scoring.models import EoiCriterion, EoiOutcome, EoiScore, EoiTriage, Interest
from scoring.services import AssessmentError, eoi_confirm_batch, eoi_criterion_delete, eoi_criterion_save, eoi_propose
from tests import factories as f

from .test_eoi_triage import eoi, two_stage

pytestmark = pytest.mark.django_db


def criteria(rnd, *specs):
    """EOI criteria (name, max score) in the order given."""
    return [
        EoiCriterion.objects.create(round=rnd, name=name, guidance=f"Look at {name.lower()}", max_score=top, order=n)
        for n, (name, top) in enumerate(specs, start=1)
    ]


def score(bid, actor, scores, outcome=EoiOutcome.INVITE, note=""):
    return eoi_propose(bid=bid, actor=actor, outcome=outcome, note=note, scores=scores)


def page(client, name, *args, **query):
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_manager_adds_orders_changes_and_removes_eoi_criteria(personas, client):
    rnd = two_stage(personas.round, closed=False)  # criteria can be set before EOIs close
    client.force_login(personas.programme_manager)
    assert "No EOI criteria yet" in page(client, "scoring:eoi_criteria", rnd.slug)
    new = reverse("scoring:eoi_criterion_create", args=[rnd.slug])
    assert 'value="1"' in page(client, "scoring:eoi_criterion_create", rnd.slug)  # the next order number
    client.post(new, {"name": "Risk addressed", "guidance": "Is it real?", "max_score": "3", "order": "2"})
    client.post(new, {"name": "Readiness", "guidance": "", "max_score": "5", "order": "1"})
    listing = page(client, "scoring:eoi_criteria", rnd.slug)
    assert listing.index("Readiness") < listing.index("Risk addressed") and "0 to 5" in listing

    clash = client.post(new, {"name": "risk ADDRESSED", "max_score": "3", "order": "3"}).content.decode()
    assert "already has an EOI criterion called Risk addressed" in clash
    too_high = client.post(new, {"name": "Value", "max_score": "6", "order": "3"}).content.decode()
    assert "Enter a highest score of 5 or less" in too_high and 'value="Value"' in too_high
    assert EoiCriterion.objects.filter(round=rnd).count() == 2

    risk = EoiCriterion.objects.get(round=rnd, name="Risk addressed")
    edit = reverse("scoring:eoi_criterion_edit", args=[rnd.slug, risk.pk])
    assert client.post(edit, {"name": "Risk addressed", "max_score": "2", "order": "2"}).status_code == 302
    risk.refresh_from_db()
    assert (risk.max_score, risk.guidance) == (2, "")
    client.post(reverse("scoring:eoi_criterion_delete", args=[rnd.slug, risk.pk]))
    assert list(EoiCriterion.objects.filter(round=rnd).values_list("name", flat=True)) == ["Readiness"]
    assert set(AuditEvent.objects.filter(action__startswith="eoi_criterion.").values_list("action", flat=True)) == {
        "eoi_criterion.created",
        "eoi_criterion.changed",
        "eoi_criterion.deleted",
    }


def test_the_criteria_lock_once_an_eoi_is_scored(personas, client):
    rnd = two_stage(personas.round)
    risk, ready = criteria(rnd, ("Risk addressed", 3), ("Readiness", 3))
    pm = personas.programme_manager
    unscored = eoi(rnd, personas.lead_org)
    eoi_propose(bid=unscored, actor=pm, outcome=EoiOutcome.INVITE)  # a proposal with no score: no lock
    eoi_criterion_save(round=rnd, actor=pm, criterion=ready, name="Readiness to deliver", max_score=3, order=2)

    score(eoi(rnd, personas.other_org), pm, {risk.pk: 2, ready.pk: None})
    client.force_login(pm)
    listing = page(client, "scoring:eoi_criteria", rnd.slug)
    assert 'data-testid="locked"' in listing and "can no longer be changed" in listing
    assert reverse("scoring:eoi_criterion_create", args=[rnd.slug]) not in listing
    refused = client.post(
        reverse("scoring:eoi_criterion_create", args=[rnd.slug]), {"name": "Value", "max_score": "3", "order": "3"}
    )
    assert refused.status_code == 200 and "can no longer be changed" in refused.content.decode()
    client.post(reverse("scoring:eoi_criterion_delete", args=[rnd.slug, ready.pk]))
    assert EoiCriterion.objects.filter(round=rnd).count() == 2
    with pytest.raises(AssessmentError, match="can no longer be changed"):
        eoi_criterion_save(round=rnd, actor=pm, criterion=risk, name="Risk", max_score=5)
    with pytest.raises(AssessmentError, match="can no longer be changed"):
        eoi_criterion_delete(criterion=ready, actor=pm)


def test_scores_are_saved_with_the_proposal_and_changed_when_it_is_proposed_again(personas, client):
    rnd = two_stage(personas.round)
    risk, ready = criteria(rnd, ("Risk addressed", 3), ("Readiness", 5))
    bid = eoi(rnd, personas.lead_org)
    client.force_login(personas.programme_manager)
    url = reverse("scoring:eoi_propose", args=[rnd.slug, bid.pk])
    form = page(client, "scoring:eoi_propose", rnd.slug, bid.pk)
    assert "Risk addressed (0 to 3)" in form and "Look at readiness" in form and "Not scored" in form

    assert client.post(url, {"outcome": "invite", f"score_{risk.pk}": "2", f"score_{ready.pk}": "4"}).status_code == 302
    triage = EoiTriage.objects.get(bid=bid)
    assert dict(triage.scores.values_list("criterion__name", "score")) == {"Risk addressed": 2, "Readiness": 4}
    again = page(client, "scoring:eoi_propose", rnd.slug, bid.pk)
    assert re.search(rf'name="score_{ready.pk}" type="radio" value="4" checked', again)

    client.post(url, {"outcome": "decline", "note": "Too early", f"score_{risk.pk}": "0", f"score_{ready.pk}": ""})
    triage.refresh_from_db()
    assert (triage.outcome, triage.note) == (EoiOutcome.DECLINE, "Too early")
    assert dict(triage.scores.values_list("criterion__name", "score")) == {"Risk addressed": 0}
    latest = AuditEvent.objects.filter(action="eoi.proposed").latest("pk")
    assert latest.data == {"scores": {"Risk addressed": 0}}


def test_a_score_out_of_range_is_shown_on_the_page_and_nothing_is_lost(personas, client):
    rnd = two_stage(personas.round)
    risk, ready = criteria(rnd, ("Risk addressed", 3), ("Readiness", 5))
    bid = eoi(rnd, personas.lead_org)
    pm = personas.programme_manager
    score(bid, pm, {risk.pk: 1, ready.pk: None})
    client.force_login(pm)
    url = reverse("scoring:eoi_propose", args=[rnd.slug, bid.pk])
    sent = {"outcome": "decline", "note": "Vague on the risk", f"score_{risk.pk}": "7", f"score_{ready.pk}": "5"}
    response = client.post(url, sent)
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body
    assert "Choose a score from 0 to 3 for Risk addressed" in body
    assert "Vague on the risk" in body and re.search(rf'name="score_{ready.pk}" type="radio" value="5" checked', body)
    triage = EoiTriage.objects.get(bid=bid)
    assert triage.outcome == EoiOutcome.INVITE
    assert dict(triage.scores.values_list("criterion_id", "score")) == {risk.pk: 1}
    # The service refuses as well (a command, another page), and keeps what was saved.
    with pytest.raises(AssessmentError, match="from 0 to 5 for Readiness"):
        score(bid, pm, {risk.pk: 2, ready.pk: 6}, outcome=EoiOutcome.DECLINE, note="No")
    elsewhere = EoiCriterion.objects.create(round=f.RoundFactory(programme=rnd.programme), name="Other", max_score=3)
    with pytest.raises(AssessmentError, match="criteria have changed"):
        score(bid, pm, {elsewhere.pk: 1}, outcome=EoiOutcome.DECLINE, note="No")
    triage.refresh_from_db()
    assert triage.outcome == EoiOutcome.INVITE and triage.scores.get().score == 1


def test_without_eoi_criteria_triage_works_as_before(personas, client):
    rnd = two_stage(personas.round)
    bid = eoi(rnd, personas.lead_org)
    client.force_login(personas.programme_manager)
    assert "Not scored" not in page(client, "scoring:eoi_propose", rnd.slug, bid.pk)
    url = reverse("scoring:eoi_propose", args=[rnd.slug, bid.pk])
    assert client.post(url, {"outcome": "invite", "note": ""}).status_code == 302
    assert EoiTriage.objects.filter(bid=bid).exists() and not EoiScore.objects.exists()
    listing = page(client, "scoring:eoi_triage", rnd.slug)
    assert "Short score" not in listing and "Set EOI criteria for a short score" in listing


def test_the_triage_list_shows_totals_highest_first_and_sorts_by_reference(personas, client):
    rnd = two_stage(personas.round)
    risk, ready = criteria(rnd, ("Risk addressed", 3), ("Readiness", 5))
    pm = personas.programme_manager
    unscored = eoi(rnd, personas.lead_org)  # the lowest reference, so first when sorted by it
    partly = eoi(rnd, personas.other_org)
    best = eoi(rnd, f.OrganisationFactory())
    eoi_propose(bid=unscored, actor=pm, outcome=EoiOutcome.INVITE)
    score(partly, pm, {risk.pk: 1, ready.pk: None})
    score(best, pm, {risk.pk: 3, ready.pk: 4})
    client.force_login(pm)

    listing = page(client, "scoring:eoi_triage", rnd.slug)
    cells = re.findall(r'data-testid="short-score">(.*?)</td>', listing, re.S)
    assert [re.sub(r"<[^>]+>", " ", c).split() for c in cells] == [
        "7 of 8".split(),
        "1 of 8 1 of 2 criteria scored".split(),
        ["Not", "scored"],
    ]
    order = [listing.index(b.reference) for b in (best, partly, unscored)]
    assert order == sorted(order)
    by_reference = page(client, "scoring:eoi_triage", rnd.slug, sort="reference")
    order = [by_reference.index(b.reference) for b in (unscored, partly, best)]
    assert order == sorted(order)


def test_the_triage_list_costs_the_same_for_5_or_25_scored_eois(personas, client):
    rnd = two_stage(personas.round)
    risk, ready = criteria(rnd, ("Risk addressed", 3), ("Readiness", 5))
    pm = personas.programme_manager
    client.force_login(pm)
    url = reverse("scoring:eoi_triage", args=[rnd.slug])

    def add(n):
        for i in range(n):
            score(eoi(rnd, f.OrganisationFactory()), pm, {risk.pk: i % 4, ready.pk: i % 6})

    add(5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    add(20)
    with CaptureQueriesContext(connection) as twenty_five:
        listing = client.get(url).content.decode()
    assert listing.count('data-testid="short-score"') == 25
    assert len(twenty_five.captured_queries) == len(five.captured_queries)


@pytest.mark.parametrize("who", ["lead_officer", "other_programme_manager", "finance_officer", "assessor"])
def test_only_the_programmes_managers_reach_the_criteria_and_scores(personas, client, who):
    rnd = two_stage(personas.round)
    (risk,) = criteria(rnd, ("Risk addressed", 3))
    bid = eoi(rnd, personas.lead_org)
    client.force_login(getattr(personas, who))
    for name, args in (
        ("scoring:eoi_criteria", [rnd.slug]),
        ("scoring:eoi_criterion_create", [rnd.slug]),
        ("scoring:eoi_criterion_edit", [rnd.slug, risk.pk]),
        ("scoring:eoi_propose", [rnd.slug, bid.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    posted = client.post(reverse("scoring:eoi_propose", args=[rnd.slug, bid.pk]), {f"score_{risk.pk}": "3"})
    assert posted.status_code == 404 and not EoiScore.objects.exists()
    assert client.post(reverse("scoring:eoi_criterion_delete", args=[rnd.slug, risk.pk])).status_code == 404
    assert EoiCriterion.objects.filter(pk=risk.pk).exists()


def test_a_one_stage_round_has_no_eoi_criteria(personas, client):
    client.force_login(personas.programme_manager)
    assert client.get(reverse("scoring:eoi_criteria", args=[personas.round.slug])).status_code == 404


def test_a_conflicted_manager_neither_sees_nor_scores_the_eoi(personas, client):
    rnd = two_stage(personas.round)
    (risk,) = criteria(rnd, ("Risk addressed", 3))
    pm = personas.programme_manager
    theirs, other = eoi(rnd, personas.lead_org), eoi(rnd, personas.other_org)
    score(theirs, personas.administrator, {risk.pk: 3})
    f.PanelMemberFactory(panel=rnd.panel, user=pm)
    Interest.objects.create(round=rnd, user=pm, organisation=personas.lead_org, nature="I worked there")
    client.force_login(pm)
    listing = page(client, "scoring:eoi_triage", rnd.slug)
    assert theirs.reference not in listing and other.reference in listing and "3 of 3" not in listing
    url = reverse("scoring:eoi_propose", args=[rnd.slug, theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"outcome": "decline", "note": "No", f"score_{risk.pk}": "0"}).status_code == 404
    assert EoiScore.objects.get().score == 3


def test_a_conflicted_manager_confirms_none_of_theirs_even_by_the_service(personas):
    rnd = two_stage(personas.round)
    pm = personas.programme_manager
    theirs, other = eoi(rnd, personas.lead_org), eoi(rnd, personas.other_org)
    for bid in (theirs, other):
        eoi_propose(bid=bid, actor=personas.administrator, outcome=EoiOutcome.INVITE)
    f.PanelMemberFactory(panel=rnd.panel, user=pm)
    Interest.objects.create(round=rnd, user=pm, organisation=personas.lead_org, nature="I worked there")
    done, skipped = eoi_confirm_batch(round=rnd, actor=pm, bid_ids=[theirs.pk, other.pk])
    assert [t.bid_id for t in done] == [other.pk] and skipped == []
    assert not EoiTriage.objects.get(bid=theirs).confirmed_at


def test_the_council_reads_the_feedback_but_never_the_scores(personas, client):
    rnd = two_stage(personas.round)
    (risk,) = criteria(rnd, ("Risk addressed", 3))
    bid = eoi(rnd, personas.lead_org)
    score(bid, personas.programme_manager, {risk.pk: 2}, note="Say more on costs")
    eoi_confirm_batch(round=rnd, actor=personas.programme_manager, bid_ids=[bid.pk])
    client.force_login(personas.lead_officer)
    council_page = client.get(bid.get_absolute_url()).content.decode()
    assert "Say more on costs" in council_page and "Risk addressed" not in council_page


def test_the_demo_gives_the_cyber_eois_three_criteria_and_no_scores(personas):
    rnd = two_stage(personas.round)
    context = {"rounds": {"cyber-eoi": rnd}, "people": {}}
    seed_demo_criteria(context=context)
    seed_demo_criteria(context=context)
    found = list(EoiCriterion.objects.filter(round=rnd).values_list("name", "max_score"))
    assert found == [(name, 3) for name, _ in DEMO_CRITERIA]
    assert not EoiScore.objects.exists()
