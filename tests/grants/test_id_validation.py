"""Ids taken from a request are checked by the form (or view) before any query sees them.

A number no key can hold (2**63), a negative one, '1e9' or 'abc' posted where an id belongs is
"not one of the choices": an error on the page, never a 500. SQLite raises OverflowError for an
out-of-range integer in `pk__in`, so these tests fail there if the check is missing.
"""

import importlib
import inspect
from dataclasses import dataclass

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.urls import reverse

from grants.core.fields import IdChoiceField, IdMultipleChoiceField, as_id, valid_ids
from tests.applications.factories import BidFactory, BidPartnerFactory
from tests.awards.factories import AwardFactory

pytestmark = pytest.mark.django_db

BAD_IDS = [str(2**63), "-1", "1e9", "abc"]


@dataclass(frozen=True)
class Case:
    name: str
    persona: str
    url: str  # a URL name; `slug` is the round's, `award` the award's pk, `user` the lead officer's
    data: dict  # "BAD" stands for the posted id
    form: str  # the context name of the form
    field: str


CASES = [
    Case(
        "copy questions", "programme_manager", "applications:staff_questions", {"source": "BAD"}, "copy_form", "source"
    ),
    Case(
        "interest",
        "assessor",
        "scoring:declaration",
        {"organisation": "BAD", "nature": "I worked there"},
        "form",
        "organisation",
    ),
    Case(
        "bulk assignment",
        "programme_manager",
        "scoring:assignments",
        {"action": "assign", "assessor": "BAD"},
        "form",
        "assessor",
    ),
    Case(
        "programme funder",
        "administrator",
        "grants:staff_programme_create",
        {"name": "Pothole Fund", "slug": "potholes", "code": "PF", "funder": "BAD"},
        "form",
        "funder",
    ),
    Case(
        "programme partner bodies",
        "administrator",
        "grants:staff_programme_create",
        {"name": "Pothole Fund", "slug": "potholes", "code": "PF", "partner_bodies": ["BAD"]},
        "form",
        "partner_bodies",
    ),
    Case(
        "programmes a manager runs",
        "administrator",
        "grants:staff_user",
        {"full_name": "Sam Lead", "managed_programmes": ["BAD"]},
        "form",
        "managed_programmes",
    ),
    Case(
        "historic award round",
        "programme_manager",
        "awards:historic_new",
        {"round": "BAD", "lead": "KEX", "title": "Old award", "amount": "1000"},
        "form",
        "round",
    ),
    Case(
        "tranche milestone",
        "programme_manager",
        "awards:tranches",
        {
            "t-TOTAL_FORMS": "1",
            "t-INITIAL_FORMS": "0",
            "t-MIN_NUM_FORMS": "0",
            "t-MAX_NUM_FORMS": "40",
            "t-0-amount": "30000",
            "t-0-milestone": "BAD",
        },
        "formset",
        "milestone",
    ),
]


def _url(case: Case, personas) -> str:
    if case.url == "awards:tranches":
        award = AwardFactory(round=personas.round, lead=personas.lead_org)
        return reverse(case.url, args=[award.pk])
    if case.url == "grants:staff_user":
        return reverse(case.url, args=[personas.lead_officer.pk])
    if case.url in ("grants:staff_programme_create", "awards:historic_new"):
        return reverse(case.url)
    return reverse(case.url, kwargs={"slug": personas.round.slug})


def _errors(context, case: Case) -> list[str]:
    form = context[case.form]
    if case.form == "formset":
        form = form.forms[0]
    return form.errors.get(case.field, [])


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_an_impossible_id_is_a_form_error(personas, client_for, case, bad):
    data = {k: ([bad] if v == ["BAD"] else bad if v == "BAD" else v) for k, v in case.data.items()}
    response = client_for(getattr(personas, case.persona)).post(_url(case, personas), data)
    assert response.status_code == 200, response.status_code
    assert _errors(response.context, case), f"no error on {case.field}"
    assert b"govuk-error-summary" in response.content


@pytest.mark.parametrize("bad", [*BAD_IDS, "\u00b2"])  # '²' passes str.isdigit() but not int()
def test_confirming_decisions_for_impossible_bids_is_refused_on_the_page(personas, client_for, bad):
    response = client_for(personas.programme_manager).post(
        reverse("scoring:decisions_confirm", kwargs={"slug": personas.round.slug}), {"bids": ["1", bad]}
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Select a valid choice. That choice is not one of the available choices"
    ]


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize("button", ["add", "remove"])
def test_a_partner_button_with_an_impossible_id_finds_nothing(personas, client_for, button, bad):
    bid = BidFactory(round=personas.round, lead=personas.lead_org)
    BidPartnerFactory(bid=bid, organisation=personas.partner_org)
    response = client_for(personas.lead_officer).post(
        reverse("applications:bid_partners", args=[bid.pk]), {button: bad}
    )
    assert response.status_code == 404
    assert bid.partners.count() == 1


def test_the_id_rule():
    assert [as_id(v) for v in ("1", " 42 ", 7, str(2**63 - 1))] == [1, 42, 7, 2**63 - 1]
    for v in (str(2**63), 2**63, "0", "-1", "1e9", "abc", "", "\u00b2", "1.0", True, None, 1.0):
        assert as_id(v) is None, v
    assert valid_ids(["3", 4]) == [3, 4]
    with pytest.raises(forms.ValidationError):
        valid_ids(["3", "abc"])


FORM_MODULES = [
    "applications.forms",
    "scoring.forms",
    "grants.forms",
    "grants.people_forms",
    "grants.awards.forms",
    "grants.reporting.forms",
    "notifications.forms",
]


def test_every_model_choice_field_checks_its_ids():
    """A new ModelChoiceField (or a foreign key in a ModelForm) must use the checked fields."""
    unchecked = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for form in vars(module).values():
            if inspect.isclass(form) and issubclass(form, forms.BaseForm) and form.__module__ == name:
                for field_name, field in form.base_fields.items():
                    if isinstance(field, forms.ModelChoiceField) and not isinstance(
                        field, IdChoiceField | IdMultipleChoiceField
                    ):
                        unchecked.append(f"{name}.{form.__name__}.{field_name}")
    assert unchecked == []
