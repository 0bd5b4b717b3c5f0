"""What a page shows when a service refuses: a button (no form) says why in a message on the page
it leads to and changes nothing; a form page shows the refusal on the form, keeping what was typed."""

import pytest
from django.urls import reverse

from grants.awards import services as s
from grants.awards.models import AwardEvidenceFile, AwardStatus, Rag
from tests.applications.factories import PDF, upload

from .factories import AwardFactory, ReturnPeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(personas):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACTIVE)
    ReturnPeriodFactory(round=personas.round, title="Quarter 1")
    s.returns_create(award=award)
    return award


def test_close_refused_says_why_on_the_award_page_then_closes_once_the_report_is_in(personas, client_for, award):
    c = client_for(personas.programme_manager)
    url = reverse("awards:close", args=[award.pk])
    refused = c.post(url, follow=True)
    assert refused.redirect_chain[-1][0] == award.get_absolute_url()
    page = refused.content.decode()
    assert "The council has not sent its end-of-project report yet" in page and "Award closed" not in page
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE
    s.closure_submit(award=award, actor=personas.lead_officer, closure_report="Done", case_study="")
    closed = c.post(url, follow=True)
    assert closed.redirect_chain[-1][0] == award.get_absolute_url() and "Award closed" in closed.content.decode()
    award.refresh_from_db()
    assert award.status == AwardStatus.COMPLETED


def test_removing_a_file_from_a_sent_return_is_refused_back_on_the_award_page(personas, client_for, award):
    mreturn = award.returns.get()
    (row,) = s.evidence_add(actor=personas.lead_officer, uploads=[upload("minutes.pdf", PDF)], mreturn=mreturn)
    s.return_submit(mreturn=mreturn, actor=personas.lead_officer, rag=Rag.GREEN, commentary="", values={})
    response = client_for(personas.lead_officer).post(
        reverse("awards:evidence_remove", args=[award.pk, row.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == award.get_absolute_url()
    page = response.content.decode()
    assert "This return is submitted: its files can change only if" in page and "minutes.pdf removed" not in page
    assert AwardEvidenceFile.objects.filter(pk=row.pk).exists()


def test_a_refused_form_keeps_what_was_typed_and_saves_nothing(personas, client_for):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.ACCEPTED)
    response = client_for(personas.lead_officer).post(
        reverse("awards:closure", args=[award.pk]), {"closure_report": "Our report", "case_study": "Our story"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The end-of-project report can be sent once the award is active" in page
    assert "Our report" in page and "Our story" in page
    award.refresh_from_db()
    assert award.closure_report == "" and award.closure_report_count == 0


@pytest.mark.parametrize("name", ["accept", "decline"])
def test_an_offer_already_answered_goes_back_to_the_award_with_a_note(personas, client_for, name):
    award = AwardFactory(round=personas.round, lead=personas.lead_org, status=AwardStatus.OFFERED)
    s.award_decline(award=award, actor=personas.signatory, reason="No capacity")
    c = client_for(personas.signatory)
    url = reverse(f"awards:{name}", args=[award.pk])
    for response in (c.get(url, follow=True), c.post(url, {"reason": "Again"}, follow=True)):
        assert response.redirect_chain[-1][0] == award.get_absolute_url()
        assert "This offer has already been answered" in response.content.decode()
    award.refresh_from_db()
    assert award.status == AwardStatus.DECLINED and award.status_reason == "No capacity"
