"""Issue 15's wording and layout faults, each on the page where it was found: the award's money
box, the empty Variations heading, the RAG definitions twice on the return form, a question's file
twice on the assessor's page, the empty published-files table, a score as "100.00%", "1 bids", a
council-facing answer on a staff member's round page, "london borough", and "0.00" in a box."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import EvidenceFile, Question, Section
from grants.awards import services as award_services
from grants.awards.models import AwardStatus
from grants.core.fields import MoneyField, NumberField
from grants.models import OrgKind, OrgRole
from grants.selectors import round_eligibility
from scoring.models import Scale
from tests import factories as f
from tests.awards.factories import AwardFactory, ReturnPeriodFactory
from tests.scoring.factories import CriterionFactory, SubmittedBidFactory, close_round, declare
from tests.scoring.helpers import assign_and_submit

pytestmark = pytest.mark.django_db


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_award_money_box_is_a_table_and_an_empty_variations_heading_says_so(personas, client_for):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    page = _page(client_for(personas.programme_manager), reverse("awards:detail", args=[award.pk]))
    # A summary list in a one-third column broke "Outstanding" mid-word; a table's row headers do not.
    figures = re.search(r'<table class="govuk-table" data-testid="figures">.*?</table>', page, re.S)
    assert figures and '<th scope="row" class="govuk-table__header">Outstanding</th>' in figures.group(0)
    assert 'data-testid="no-variations">No variations.' in page


def test_return_form_gives_the_rag_definitions_once(personas, client_for):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    ReturnPeriodFactory(round=personas.round, title="Q1")
    award_services.returns_create(award=award)
    url = reverse("awards:return", args=[award.pk, award.returns.get().pk])
    page = _page(client_for(personas.lead_officer), url)
    assert 'name="rag"' in page
    assert page.count("appropriate mitigation is in place") == 1


def test_assessor_sees_a_question_file_once(personas, client_for):
    rnd = close_round(personas.round)  # assessment starts after the round closes
    criterion = CriterionFactory(round=rnd, name="Quality", scale=Scale.ZERO_FOUR)
    bid = SubmittedBidFactory(round=rnd)
    section = Section.objects.create(round=rnd, title="Delivery")
    question = Question.objects.create(section=section, text="Project plan", type="file_upload", required=False)
    upload = SimpleUploadedFile("project-plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    EvidenceFile.objects.create(
        bid=bid,
        question=question,
        file=upload,
        original_name="project-plan.pdf",
        content_type="application/pdf",
        size=13,
    )
    declare(personas.assessor, rnd)
    assign_and_submit(bid=bid, assessor=personas.assessor, criteria=[criterion], scores={criterion: 3})
    page = _page(client_for(personas.assessor), reverse("scoring:assess_bid", args=[rnd.slug, bid.pk]))
    assert page.count(">project-plan.pdf</a>") == 1


def test_open_data_without_files_says_so_instead_of_an_empty_table(client_for):
    page = _page(client_for(None), reverse("reporting:open_data"))
    assert 'data-testid="published"' not in page
    assert "No files have been published yet." in page


def test_moderation_shows_a_whole_percentage_without_decimals(personas, client_for):
    rnd = close_round(personas.round)  # assessment starts after the round closes
    quality = CriterionFactory(round=rnd, name="Quality", scale=Scale.ZERO_FOUR, order=1)
    bid = SubmittedBidFactory(round=rnd, amount_requested=Decimal("10000.00"))
    for q in (4, 2):  # 100% and 50%: a final score of 75, stored as 75.00
        person = f.UserFactory()
        f.PanelMemberFactory(panel=rnd.panel, user=person)
        declare(person, rnd)
        assign_and_submit(bid=bid, assessor=person, criteria=[quality], scores={quality: q})
    declare(personas.panel_chair, rnd)
    c = client_for(personas.panel_chair)
    one = _page(c, reverse("scoring:moderate_bid", args=[rnd.slug, bid.pk]))
    table = _page(c, reverse("scoring:moderation", args=[rnd.slug]))
    assert '<strong data-testid="final">75%</strong>' in one
    assert ">75%</td>" in table and "75.00%" not in table
    assert "spread between assessors: 50 points" in one  # a number, not "50.00 points"


def test_ranking_of_one_bid_says_1_bid(personas, client_for):
    SubmittedBidFactory(round=personas.round)
    page = _page(client_for(personas.programme_manager), reverse("scoring:ranking", args=[personas.round.slug]))
    assert "1 bid</caption>" in page and "1 bids" not in page


def test_staff_member_of_a_council_sees_the_rules_not_their_council_answer(personas, client_for):
    pm = personas.programme_manager
    pm.organisation, pm.org_role = personas.lead_org, OrgRole.OFFICER
    pm.save()
    page = _page(client_for(pm), reverse("grants:round_detail", args=[personas.round.slug]))
    assert 'data-testid="staff-links"' in page and "Who can apply" in page
    assert "can apply to this round" not in page and 'data-testid="eligibility"' not in page
    # The council's own officer still gets the answer about their council.
    officer_page = _page(client_for(personas.lead_officer), reverse("grants:round_detail", args=[personas.round.slug]))
    assert 'data-testid="eligibility"' in officer_page


def test_kinds_in_a_sentence_keep_proper_nouns(personas):
    personas.round.eligible_kinds = [OrgKind.COUNTY, OrgKind.LONDON_BOROUGH, OrgKind.CITY_OF_LONDON]
    personas.round.save()
    reasons = " ".join(round_eligibility(round=personas.round, organisation=personas.other_org))
    assert "county council, London borough, City of London" in reasons
    assert personas.round.eligible_kinds_text == "County council, London borough, City of London"


@pytest.mark.parametrize(
    ("field", "stored", "shown"),
    [
        (MoneyField(label="Budget"), Decimal("40000.00"), "40000"),
        (MoneyField(label="Budget"), Decimal("1234.50"), Decimal("1234.50")),
        (NumberField(label="Projects live"), Decimal("0.00"), "0"),
        (MoneyField(label="Budget"), "40000.00", "40000.00"),  # what the person typed stays as typed
    ],
)
def test_number_boxes_show_stored_whole_pounds_without_pence(field, stored, shown):
    assert field.prepare_value(stored) == shown
