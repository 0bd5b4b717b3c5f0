"""Every form the project renders through its GOV.UK template pack, checked for the structure
GOV.UK asks for: a label tied to its input, a hint tied to the input by aria-describedby, an
error message by the field and an error summary whose links reach an element on the page.

FORM_HTML_DUMP=/some/folder writes each rendered form there, to compare two versions of the
template pack by eye or with diff.
"""

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template import Context, Template

from applications import forms as app_forms
from grants import forms as grant_forms
from grants.awards import forms as award_forms
from grants.awards import historic_forms, schedule_forms
from grants.models import Round
from grants.reporting import forms as report_forms
from notifications import forms as note_forms
from notifications.models import Preference
from scoring import forms as score_forms

from ..awards.factories import RoundOutputFactory
from ..factories import ProgrammeFactory, RoundFactory, UserFactory


def _forms(db) -> dict:
    round_ = RoundFactory()
    programme = round_.programme
    user = UserFactory(is_superuser=True)
    output = RoundOutputFactory(round=round_)
    preference, _ = Preference.objects.get_or_create(user=user)
    return {
        "BidDetailsForm": lambda **kw: app_forms.BidDetailsForm(round=round_, **kw),
        "StartBidForm": lambda **kw: app_forms.StartBidForm(round=round_, **kw),
        "CollaboratorForm": app_forms.CollaboratorForm,
        "DeclarationForm": app_forms.DeclarationForm,
        "applications.ReasonForm": app_forms.ReasonForm,
        "PartnerResponseForm": app_forms.PartnerResponseForm,
        "ExtensionForm": app_forms.ExtensionForm,
        "SectionForm": app_forms.SectionForm,
        "QuestionForm": app_forms.QuestionForm,
        "CopyQuestionsForm": lambda **kw: app_forms.CopyQuestionsForm(rounds=Round.objects.all(), **kw),
        "PanelSettingsForm": score_forms.PanelSettingsForm,
        "PanelMemberForm": score_forms.PanelMemberForm,
        "CriterionForm": score_forms.CriterionForm,
        "InterestForm": score_forms.InterestForm,
        "ConflictForm": score_forms.ConflictForm,
        "DecisionForm": lambda **kw: score_forms.DecisionForm(gateway_failed=True, **kw),
        "ProgrammeForm": grant_forms.ProgrammeForm,
        "RoundForm": lambda **kw: grant_forms.RoundForm(programme=programme or ProgrammeFactory(), **kw),
        "OrganisationForm": grant_forms.OrganisationForm,
        "AcceptForm": award_forms.AcceptForm,
        "OfferTermsForm": award_forms.OfferTermsForm,
        "HistoricAwardForm": lambda **kw: historic_forms.HistoricAwardForm(rounds=Round.objects.all(), **kw),
        "DeclineForm": award_forms.DeclineForm,
        "awards.ReasonForm": award_forms.ReasonForm,
        "EndForm": award_forms.EndForm,
        "PaymentForm": award_forms.PaymentForm,
        "MilestoneForm": award_forms.MilestoneForm,
        "MilestoneUpdateForm": award_forms.MilestoneUpdateForm,
        "ReturnForm": lambda **kw: award_forms.ReturnForm(outputs=[output], **kw),
        "ReviewForm": award_forms.ReviewForm,
        "VariationForm": award_forms.VariationForm,
        "VariationDecisionForm": award_forms.VariationDecisionForm,
        "FundReturnForm": award_forms.FundReturnForm,
        "ClosureForm": award_forms.ClosureForm,
        "ReturnPeriodForm": schedule_forms.ReturnPeriodForm,
        "RoundOutputForm": schedule_forms.RoundOutputForm,
        "TargetsForm": lambda **kw: schedule_forms.TargetsForm(outputs=[output], **kw),
        "BoardSummaryForm": report_forms.BoardSummaryForm,
        "OpenDataForm": lambda data=None: report_forms.OpenDataForm(data, user=user),
        "PreferencesForm": lambda **kw: note_forms.PreferencesForm(preference=preference, digest_allowed=True, **kw),
    }


FORM_NAMES = [
    "BidDetailsForm", "StartBidForm", "CollaboratorForm", "DeclarationForm", "applications.ReasonForm",
    "PartnerResponseForm", "ExtensionForm", "SectionForm", "QuestionForm", "CopyQuestionsForm",
    "PanelSettingsForm", "PanelMemberForm", "CriterionForm", "InterestForm", "ConflictForm", "DecisionForm",
    "ProgrammeForm", "RoundForm", "OrganisationForm", "AcceptForm", "OfferTermsForm", "HistoricAwardForm",
    "DeclineForm", "awards.ReasonForm", "EndForm", "PaymentForm", "MilestoneForm", "MilestoneUpdateForm",
    "ReturnForm", "ReviewForm", "VariationForm", "VariationDecisionForm", "FundReturnForm", "ClosureForm",
    "ReturnPeriodForm", "RoundOutputForm", "TargetsForm", "BoardSummaryForm", "OpenDataForm", "PreferencesForm",
]  # fmt: skip

PAGE = Template("{% load crispy_forms_tags govuk_forms %}{% error_summary form %}{% crispy form %}")


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def _parse(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def _render(form) -> str:
    return PAGE.render(Context({"form": form}))


def _dump(name: str, state: str, html: str) -> None:
    folder = os.environ.get("FORM_HTML_DUMP")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        Path(folder, f"{name}.{state}.html").write_text(re.sub(r'value="[0-9a-zA-Z]{64}"', "", html))


def _check_structure(form, html: str) -> None:
    elements = _parse(html)
    ids = {attrs["id"] for _, attrs in elements if "id" in attrs}
    label_targets = {attrs["for"] for tag, attrs in elements if tag == "label" and "for" in attrs}
    controls = [(tag, attrs) for tag, attrs in elements if tag in ("input", "textarea", "select")]
    for tag, attrs in controls:
        if attrs.get("type") in ("hidden", "submit") or tag == "button":
            continue
        assert attrs.get("id") in label_targets, f"{tag} {attrs.get('name')} has no label"
        for described in (attrs.get("aria-describedby") or "").split():
            assert described in ids, f"{attrs.get('name')} is described by missing #{described}"
    for bound in form.visible_fields():
        if bound.help_text:
            hint = f"{bound.auto_id}_hint"
            assert hint in ids, f"{bound.name}: hint has no id"
            described_by = " ".join(a.get("aria-describedby") or "" for _, a in elements).split()
            assert hint in described_by, f"{bound.name}: hint is not tied to the input"


@pytest.mark.parametrize("name", FORM_NAMES)
def test_form_renders_labels_hints_and_errors_as_govuk_asks(db, name):
    make = _forms(db)[name]
    blank = make()
    html = _render(blank)
    _dump(name, "blank", html)
    assert "govuk-form-group" in html and 'class="govuk-button"' in html
    _check_structure(blank, html)

    bound = make(data={"unknown": "x"})
    bound.is_valid()
    html = _render(bound)
    _dump(name, "errors", html)
    _check_structure(bound, html)
    if not bound.errors:
        return
    assert 'class="govuk-error-summary"' in html
    elements = _parse(html)
    ids = {attrs["id"] for _, attrs in elements if "id" in attrs}
    anchors = [attrs["href"][1:] for tag, attrs in elements if tag == "a" and attrs.get("href", "").startswith("#")]
    assert anchors, "the error summary links to nothing"
    for anchor in anchors:
        assert anchor in ids, f"error summary link #{anchor} reaches nothing"
    for field, errors in bound.errors.items():
        if field == "__all__":
            continue
        assert f'id="{bound[field].auto_id}-error"' in html or "govuk-error-message" in html, field
        for error in errors:
            assert str(error).replace("'", "&#x27;") in html or error in html
