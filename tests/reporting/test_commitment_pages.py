"""The commitments and deliverables pages: managers change them through GOV.UK forms whose errors
keep what was typed; staff who may view the programme read them; everyone else gets 404."""

from datetime import date

import pytest
from django.urls import reverse

from grants.reporting.commitment_services import commitment_save, deliverable_add, deliverable_rag_set
from grants.reporting.commitments import Commitment, Deliverable

pytestmark = pytest.mark.django_db

FORM = {"text": "At least 25 councils", "financial_year": "", "target": "25", "unit": "count",
        "measure": "awards_made", "manual_value": "", "manual_as_at_0": "", "manual_as_at_1": "",
        "manual_as_at_2": ""}  # fmt: skip


def _url(name, personas, *args):
    return reverse(f"reporting:{name}", args=[personas.programme.slug, *args])


def test_a_manager_adds_a_commitment_and_errors_keep_the_input(personas, client_for):
    c = client_for(personas.programme_manager)
    bad = {**FORM, "text": "Homes on council land", "unit": "pounds", "target": "3,000"}
    page = c.post(_url("commitment_add", personas), bad).content.decode()
    assert "govuk-error-summary" in page and "Awards made is counted in number" in page
    assert 'value="Homes on council land"' in page and 'value="3,000"' in page  # as typed
    assert not Commitment.objects.exists()
    response = c.post(_url("commitment_add", personas), FORM)
    assert response.status_code == 302 and response["Location"] == _url("commitments", personas)
    obj = Commitment.objects.get()
    assert (obj.text, obj.target, obj.measure) == ("At least 25 councils", 25, "awards_made")
    page = c.get(_url("commitments", personas)).content.decode()
    assert "At least 25 councils" in page and "Add a commitment" in page


def test_a_manager_changes_and_removes_a_commitment(personas, client_for):
    c = client_for(personas.programme_manager)
    obj = commitment_save(user=personas.programme_manager, programme=personas.programme,
                          data={**FORM, "target": 25, "financial_year": None, "manual_value": None,
                                "manual_as_at": None})  # fmt: skip
    entered = {**FORM, "measure": "manual", "manual_value": "30", "manual_as_at_0": "31",
               "manual_as_at_1": "3", "manual_as_at_2": "2019"}  # fmt: skip
    assert c.post(_url("commitment_edit", personas, obj.pk), entered).status_code == 302
    obj.refresh_from_db()
    assert (obj.manual_value, obj.manual_as_at, obj.manual_by) == (30, date(2019, 3, 31), personas.programme_manager)
    assert c.get(_url("commitment_remove", personas, obj.pk)).status_code == 405
    assert c.post(_url("commitment_remove", personas, obj.pk)).status_code == 302
    assert not Commitment.objects.exists()


def test_viewers_read_and_others_get_404(personas, client_for):
    obj = commitment_save(user=personas.programme_manager, programme=personas.programme,
                          data={**FORM, "target": 25, "financial_year": None, "manual_value": None,
                                "manual_as_at": None})  # fmt: skip
    viewer = client_for(personas.board_viewer)
    page = viewer.get(_url("commitments", personas)).content.decode()
    assert "At least 25 councils" in page and "Add a commitment" not in page
    for name, args in (("commitment_add", ()), ("commitment_edit", (obj.pk,)), ("deliverable_add", (2018,))):
        assert viewer.get(_url(name, personas, *args)).status_code == 404
    outsider = client_for(personas.other_programme_manager)
    for name, args in (("commitments", ()), ("deliverables", (2018,)), ("commitment_edit", (obj.pk,))):
        assert outsider.get(_url(name, personas, *args)).status_code == 404
    assert client_for(personas.lead_officer).get(_url("commitments", personas)).status_code == 404
    # A commitment reached through another programme's address is not found.
    other = reverse("reporting:commitment_edit", args=[personas.other_programme.slug, obj.pk])
    assert client_for(personas.administrator).get(other).status_code == 404


def test_a_manager_adds_a_deliverable_and_sets_its_rag_with_a_reason(personas, client_for):
    c = client_for(personas.programme_manager)
    page = c.post(_url("deliverable_add", personas, 2018), {"title": "", "round": ""}).content.decode()
    assert "Enter the deliverable" in page
    assert c.post(_url("deliverable_add", personas, 2018), {"title": "Fund councils", "round": ""}).status_code == 302
    d = Deliverable.objects.get()
    assert (d.financial_year, d.number, d.title) == (2018, 1, "Fund councils")
    url = _url("deliverable", personas, d.pk)
    page = c.post(url, {"rag": "amber", "reason": ""}).content.decode()
    assert "Enter why the deliverable has this RAG status" in page
    assert 'value="amber" checked' in page  # the choice made is kept
    assert c.post(url, {"rag": "amber", "reason": "Two councils late"}).status_code == 302
    page = c.get(url).content.decode()
    assert "Two councils late" in page and "Set the RAG status" in page
    listing = c.get(_url("deliverables", personas, 2018)).content.decode()
    assert "Fund councils" in listing and "Two councils late" in listing


def test_viewers_see_the_history_but_cannot_set_a_rag(personas, client_for):
    d = deliverable_add(user=personas.programme_manager, programme=personas.programme, financial_year=2018, title="A")
    deliverable_rag_set(user=personas.programme_manager, deliverable=d, rag="green", reason="Done on time")
    viewer = client_for(personas.finance_officer)
    page = viewer.get(_url("deliverable", personas, d.pk)).content.decode()
    assert "Done on time" in page and "Set the RAG status" not in page
    assert viewer.post(_url("deliverable", personas, d.pk), {"rag": "red", "reason": "No"}).status_code == 404
    d.refresh_from_db()
    assert d.rag == "green"


@pytest.mark.parametrize("count", [3, 30])
def test_pages_ask_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, count):
    pm = personas.programme_manager
    for i in range(count):
        d = deliverable_add(user=pm, programme=personas.programme, financial_year=2018, title=f"D{i}",
                            round=personas.round)  # fmt: skip
        deliverable_rag_set(user=pm, deliverable=d, rag="green", reason="Done")
        commitment_save(user=pm, programme=personas.programme,
                        data={**FORM, "text": f"C{i}", "target": 25, "financial_year": 2018 if i % 2 else None,
                              "measure": ["awards_made", "amount_awarded", "output:homes", "manual"][i % 4],
                              "unit": ["count", "pounds", "homes", "count"][i % 4],
                              "manual_value": 5 if i % 4 == 3 else None,
                              "manual_as_at": date(2019, 3, 31) if i % 4 == 3 else None})  # fmt: skip
    c = client_for(pm)
    with django_assert_max_num_queries(15):
        assert c.get(_url("commitments", personas)).status_code == 200
    with django_assert_max_num_queries(11):
        assert c.get(_url("deliverables", personas, 2018)).status_code == 200
    with django_assert_max_num_queries(12):
        assert c.get(_url("deliverable", personas, d.pk)).status_code == 200


def test_the_programme_page_links_to_its_commitments(personas, client_for):
    page = client_for(personas.board_viewer).get(personas.programme.get_absolute_url()).content.decode()
    assert _url("commitments", personas) in page
