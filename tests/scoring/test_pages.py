"""Set-up pages, scoring pages, exports and query counts."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from scoring import services
from scoring.models import Assessment, Assignment, Criterion, Scale

from .factories import CriterionFactory, SubmittedBidFactory, declare
from .helpers import assign_and_submit

pytestmark = pytest.mark.django_db


def test_manager_configures_criteria_until_scoring_starts(personas, client_for):
    rnd = personas.round
    client = client_for(personas.programme_manager)
    url = reverse("scoring:criterion_create", args=[rnd.slug])
    bad = client.post(url, {"name": "", "weight": "0", "scale": "0-4", "order": "1"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()
    ok = client.post(
        url,
        {
            "name": "Impact",
            "guidance": "Who benefits",
            "weight": "40",
            "scale": "1-5",
            "order": "1",
            "descriptor_0": "ignored",
            "descriptor_5": "Transformational",
        },
    )
    assert ok.status_code == 302
    c = Criterion.objects.get(round=rnd, name="Impact")
    assert (c.weight, c.scale, c.descriptors) == (40, "1-5", {"5": "Transformational"})
    assert client.get(reverse("scoring:panel", args=[rnd.slug])).status_code == 200
    rnd.assessment_started_at = timezone.now()
    rnd.save()
    locked = client.post(
        reverse("scoring:criterion_edit", args=[rnd.slug, c.pk]),
        {"name": "Changed", "weight": "1", "scale": "0-4", "order": "1"},
    )
    assert "can no longer be changed" in locked.content.decode()
    c.refresh_from_db()
    assert c.name == "Impact"
    with pytest.raises(services.AssessmentError):
        services.criterion_delete(criterion=c, actor=personas.programme_manager)
    assert (
        client_for(personas.other_programme_manager).get(reverse("scoring:panel", args=[rnd.slug])).status_code == 404
    )


def test_removing_a_criterion_says_what_happened(personas, client_for):
    """The Remove button's banner: what was removed, or once scoring has started, why not."""
    rnd = personas.round
    client = client_for(personas.programme_manager)
    gone, kept = CriterionFactory(round=rnd, name="Reach"), CriterionFactory(round=rnd, name="Value")
    page = client.post(reverse("scoring:criterion_delete", args=[rnd.slug, gone.pk]), follow=True)
    assert "Reach removed" in page.content.decode()
    assert not Criterion.objects.filter(pk=gone.pk).exists()
    rnd.assessment_started_at = timezone.now()
    rnd.save()
    page = client.post(reverse("scoring:criterion_delete", args=[rnd.slug, kept.pk]), follow=True)
    text = page.content.decode()
    assert "criteria can no longer be changed" in text and "Value removed" not in text
    assert Criterion.objects.filter(pk=kept.pk).exists()


def test_panel_settings_and_assignment_pages(personas, client_for):
    rnd = personas.round
    client = client_for(personas.programme_manager)
    response = client.post(
        reverse("scoring:panel_settings", args=[rnd.slug]), {"assessors_per_bid": "1", "moderation_threshold": "15"}
    )
    assert response.status_code == 302
    rnd.panel.refresh_from_db()
    assert (
        rnd.panel.assessors_per_bid == 1
        and rnd.panel.moderation_threshold == Decimal("15")
        and not rnd.panel.hide_scores_until_submitted
    )
    CriterionFactory(round=rnd)
    bids = [SubmittedBidFactory(round=rnd) for _ in range(3)]
    url = reverse("scoring:assignments", args=[rnd.slug])
    client.post(url, {"action": "assign", "assessor": personas.assessor.pk, "bids": [bids[0].pk, bids[1].pk]})
    assert Assignment.objects.filter(assessor=personas.assessor).count() == 2
    client.post(url, {"action": "auto"})
    assert all(Assignment.objects.filter(bid=b, withdrawn_at__isnull=True).count() == 1 for b in bids)
    row = Assignment.objects.filter(assessor=personas.assessor).first()
    client.post(reverse("scoring:assignment_withdraw", args=[rnd.slug, row.pk]), {"reason": "Reassigned"})
    row.refresh_from_db()
    assert row.withdrawn_at is not None
    page = client.get(url)
    assert page.status_code == 200


def test_other_assessors_scores_stay_hidden_until_own_submission(personas, client_for):
    rnd = personas.round
    c = CriterionFactory(round=rnd, name="Quality", scale=Scale.ZERO_FOUR)
    bid = SubmittedBidFactory(round=rnd)
    for p in (personas.assessor, personas.panel_chair):
        declare(p, rnd)
    assign_and_submit(bid=bid, assessor=personas.panel_chair, criteria=[c], scores={c: 1})
    services.assign(bid=bid, assessor=personas.assessor, actor=personas.programme_manager)
    client = client_for(personas.assessor)
    url = reverse("scoring:assess_bid", args=[rnd.slug, bid.pk])
    assert "Because Quality" not in client.get(url).content.decode()
    draft = client.post(url, {f"score_{c.pk}": "3", f"justification_{c.pk}": "Half done", "action": "draft"})
    assert draft.status_code == 302
    assert Assessment.objects.get(assignment__assessor=personas.assessor).draft[str(c.pk)]["score"] == 3
    assert "Because Quality" not in client.get(url).content.decode()
    client.post(url, {f"score_{c.pk}": "3", f"justification_{c.pk}": "Done", "action": "submit"})
    assert "Because Quality" in client.get(url).content.decode()


def test_exports_and_register(personas, client_for):
    rnd = personas.round
    c = CriterionFactory(round=rnd, name="Quality", scale=Scale.ZERO_FOUR)
    bid = SubmittedBidFactory(round=rnd)
    declare(personas.assessor, rnd)
    assign_and_submit(bid=bid, assessor=personas.assessor, criteria=[c], scores={c: 3})
    services.interest_add(round=rnd, user=personas.panel_chair, organisation=personas.other_org, nature="=HYPERLINK(1)")
    client = client_for(personas.programme_manager)
    body = client.get(reverse("scoring:export_scores", args=[rnd.slug, "csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Bid reference" and rows[1][0] == bid.reference and rows[1][7] == "3"
    xlsx = client.get(reverse("scoring:export_scores", args=[rnd.slug, "xlsx"]))
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb["Scores"]["A2"].value == bid.reference
    assert float(wb["Ranking"]["D2"].value) == 75.0
    response = client.get(reverse("scoring:interests", args=[rnd.slug]) + "?format=csv")
    register = response.getvalue().decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in register and "Leeds" in register
    pack = client.get(reverse("scoring:panel_pack", args=[rnd.slug]))
    assert pack.status_code == 200 and 'panel-pack-print.css" media="print"' in pack.content.decode()


def test_assessor_queue_costs_a_fixed_number_of_queries(
    personas, client_for, django_assert_max_num_queries, data_cache_off
):
    """With nothing kept (`data_cache_off`): what counting the queue costs."""
    rnd = personas.round
    CriterionFactory(round=rnd)
    declare(personas.assessor, rnd)
    client = client_for(personas.assessor)
    url = reverse("scoring:queue", args=[rnd.slug])
    services.assign(bid=SubmittedBidFactory(round=rnd), assessor=personas.assessor, actor=personas.programme_manager)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(8):
        services.assign(
            bid=SubmittedBidFactory(round=rnd), assessor=personas.assessor, actor=personas.programme_manager
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Not started") == 9


def test_assessment_index_lists_rounds_for_managers_only_their_own(personas, client_for):
    page = client_for(personas.programme_manager).get(reverse("scoring:round_index"))
    assert page.status_code == 200 and personas.round.name in page.content.decode()
    other = client_for(personas.other_programme_manager).get(reverse("scoring:round_index"))
    assert personas.round.name not in other.content.decode()


def test_a_duplicate_criterion_name_is_an_error_on_the_name_field(personas, client_for):
    rnd = personas.round
    CriterionFactory(round=rnd, name="Quality")
    other = CriterionFactory(round=rnd, name="Value")
    client = client_for(personas.programme_manager)
    for url in (
        reverse("scoring:criterion_create", args=[rnd.slug]),
        reverse("scoring:criterion_edit", args=[rnd.slug, other.pk]),
    ):
        response = client.post(url, {"name": " quality ", "weight": "10", "scale": "0-4", "order": "1"})
        body = response.content.decode()
        assert response.status_code == 200 and "govuk-error-summary" in body
        assert 'href="#id_name"' in body and "already has a criterion called Quality" in body
    assert sorted(Criterion.objects.filter(round=rnd).values_list("name", flat=True)) == ["Quality", "Value"]
    # Saving a criterion under its own name is fine.
    ok = client.post(
        reverse("scoring:criterion_edit", args=[rnd.slug, other.pk]),
        {"name": "Value", "weight": "20", "scale": "0-4", "order": "1"},
    )
    assert ok.status_code == 302 and Criterion.objects.get(pk=other.pk).weight == 20


def test_a_long_queue_is_paginated_with_a_summary(personas, client_for, django_assert_max_num_queries):
    rnd = personas.round
    declare(personas.assessor, rnd)
    bids = [SubmittedBidFactory(round=rnd) for _ in range(53)]
    rows = Assignment.objects.bulk_create([Assignment(bid=b, assessor=personas.assessor) for b in bids])
    Assessment.objects.create(assignment=rows[0], bid=bids[0], submitted_version=1, status="submitted")
    Assessment.objects.create(assignment=rows[1], bid=bids[1])
    client = client_for(personas.assessor)
    url = reverse("scoring:queue", args=[rnd.slug])
    with django_assert_max_num_queries(30):
        first = client.get(url).content.decode()
    assert "53 bids to assess: 51 not started, 1 in progress, 1 submitted." in first
    table = first.split('data-testid="queue"', 1)[1].split("</table>", 1)[0]
    assert "Bids 1 to 50 of 53" in table and table.count("<tr") == 51 and bids[0].reference in table
    assert 'class="govuk-pagination"' in first and "Page 1 of 2" in first
    second = client.get(url + "?page=2").content.decode().split('data-testid="queue"', 1)[1].split("</table>")[0]
    assert "Bids 51 to 53 of 53" in second and second.count("<tr") == 4 and bids[-1].reference in second
    assert client.get(url + "?page=99").status_code == 200  # out of range: the last page, never an error
