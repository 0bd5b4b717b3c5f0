"""Forms for councils and programme managers. Rules live in services; forms parse and label."""

from crispy_forms.layout import Hidden
from django import forms

from grants.core.fields import GovDateField, GovDateTimeField, IdChoiceField, MoneyField
from grants.core.forms import gov_helper
from grants.core.layout import Field
from grants.core.money import percent, pounds
from grants.models import Organisation, Round
from grants.selectors import organisation_search

from .models import OtherPartnerKind, Question, QuestionType, Section


class GovForm:
    submit_label = "Save and continue"

    def _helper(self, *layout, submit: str | None = None) -> None:
        self.helper = gov_helper(*layout, submit=submit or self.submit_label)


def resolve_organisations(text: str) -> tuple[list[Organisation], list[str]]:
    """Turn 'MDW, Canterbury' into organisations; each entry must match one council exactly enough."""
    found, errors = [], []
    for term in [t.strip() for t in (text or "").split(",") if t.strip()]:
        matches = list(organisation_search(query=term, include_former=False, limit=20))
        exact = [o for o in matches if term.lower() in ((o.code or "").lower(), o.short_name.lower(), o.name.lower())]
        choice = exact if exact else matches
        if len(choice) == 1:
            found.append(choice[0])
        elif not choice:
            errors.append(f"No council matches '{term}'")
        else:
            errors.append(f"More than one council matches '{term}': enter its three-letter code")
    return found, errors


class BidDetailsForm(GovForm, forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title for the bid"})
    summary = forms.CharField(
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the project will do and for whom, in up to 3,000 characters",
        error_messages={"required": "Enter a summary of the bid"},
    )
    amount_requested = MoneyField(
        label="Amount requested (£)",
        error_messages={"required": "Enter the amount requested", "invalid": "Enter an amount in pounds, like 25000"},
    )
    match_funding = MoneyField(
        label="Match funding offered (£)",
        initial=0,
        error_messages={"required": "Enter the match funding, or 0", "invalid": "Enter an amount in pounds"},
    )
    planned_start = GovDateField(label="Planned start", required=False, help_text="For example, 1 4 2027")
    planned_end = GovDateField(label="Planned end", required=False, help_text="For example, 31 3 2028")

    def __init__(self, *args, round: Round, eoi: bool | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        self.fields["amount_requested"].help_text = f"Between {pounds(round.min_award)} and {pounds(round.max_award)}"
        if round.match_funding_percent:
            self.fields[
                "match_funding"
            ].help_text = f"At least {percent(round.match_funding_percent, 2)} of the amount requested"
        if round.two_stage if eoi is None else eoi:  # Issue 16: an expression of interest's figures are estimates
            self.fields["amount_requested"].label = "Amount you expect to request (£)"
            self.fields["amount_requested"].help_text += ". An estimate: you can change it in a full bid if invited"
            self.fields["planned_start"].help_text = "Roughly when, for example 1 4 2027"
        self._layout()

    def _layout(self, *extra):
        self._helper(
            Field.text("title"),
            Field.textarea("summary", rows=5),
            "amount_requested",
            "match_funding",
            "planned_start",
            "planned_end",
            *extra,
        )


class StartBidForm(BidDetailsForm):
    submit_label = "Start bid"
    partners = forms.CharField(
        label="Partner councils (optional)",
        required=False,
        help_text="Three-letter codes or names, separated by commas, for example MDW",
        widget=forms.TextInput(attrs={"data-module": "org-picker", "autocomplete": "off"}),
    )

    def _layout(self, *extra):
        fields = [Field.text("partners")] if self.round.joint_bids_allowed else []
        if not self.round.joint_bids_allowed:
            self.fields.pop("partners")
        else:
            self.fields[
                "partners"
            ].help_text = (
                f"Up to {self.round.max_partners}: three-letter codes or names, separated by commas, for example MDW"
            )
        super()._layout(*fields)

    def clean_partners(self):
        organisations, errors = resolve_organisations(self.cleaned_data.get("partners", ""))
        if errors:
            raise forms.ValidationError(errors)
        return organisations


class PartnerSearchForm(forms.Form):
    q = forms.CharField(label="Search for a council by name or three-letter code", required=False, max_length=100)


class OtherPartnerForm(GovForm, forms.Form):
    """A partner with no account in the service: named, never asked to confirm."""

    name = forms.CharField(
        label="Name of the organisation",
        max_length=200,
        help_text="For example, Kent Police or Victim Support",
        error_messages={"required": "Enter the name of the organisation"},
    )
    kind = forms.ChoiceField(
        label="Type of organisation",
        choices=OtherPartnerKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of organisation"},
    )
    contact_name = forms.CharField(label="Contact name (optional)", max_length=200, required=False)
    contact_email = forms.EmailField(
        label="Contact email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    role = forms.CharField(
        label="Their role in the project (optional)",
        max_length=300,
        required=False,
        help_text="For example, runs the support sessions",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper(
            Field.text("name"),
            Field.radios("kind", legend_size="s"),
            Field.text("contact_name"),
            Field.text("contact_email"),
            Field.text("role"),
            Hidden("add_other", "1"),
            submit="Add other partner",
        )
        self.helper.attrs = {"novalidate": ""}  # the server's errors, in the GOV.UK error summary


class CollaboratorForm(GovForm, forms.Form):
    email = forms.EmailField(
        label="Colleague's email address",
        help_text="They must already have an account linked to your council",
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address, like name@council.gov.uk",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper(Field.text("email"), submit="Add collaborator")


class DeclarationForm(GovForm, forms.Form):
    declaration_name = forms.CharField(
        label="Name of the senior officer who approved this bid",
        max_length=150,
        error_messages={"required": "Enter the name of the senior officer who approved this bid"},
    )
    declaration_role = forms.CharField(
        label="Their job title",
        max_length=150,
        help_text="For example Chief Executive or Director of Finance (section 151 officer)",
        error_messages={"required": "Enter the senior officer's job title"},
    )
    confirm = forms.BooleanField(
        label="I confirm the information in this bid is correct and the senior officer named has approved it",
        error_messages={"required": "Confirm the declaration to submit the bid"},
    )
    # How many times the bid had been submitted when this page was shown: the submission's
    # idempotency key. A retried POST carries the same number, so submit_bid can tell a repeat of a
    # submission that already went through from a new one (applications.services.lifecycle).
    seen_submissions = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper(
            Field.text("declaration_name"), Field.text("declaration_role"), "confirm", "seen_submissions",
            submit="Submit bid",
        )  # fmt: skip


class ReasonForm(GovForm, forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, error_messages={"required": "Enter a reason"}
    )

    def __init__(self, *args, label: str = "Reason", submit: str = "Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self._helper(Field.textarea("reason", rows=4), submit=submit)


class PartnerResponseForm(GovForm, forms.Form):
    decision = forms.ChoiceField(
        label="Will your council be a partner in this bid?",
        choices=[("confirm", "Yes, confirm we are a partner"), ("decline", "No, decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether your council will be a partner"},
    )
    reason = forms.CharField(
        label="If declining, why", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper(Field.radios("decision"), Field.textarea("reason", rows=3), submit="Send answer")


class ExtensionForm(GovForm, forms.Form):
    organisation = forms.CharField(label="Council", help_text="Three-letter code or name", max_length=200)
    new_deadline = GovDateTimeField(label="New deadline", help_text="UK time, for example 31 3 2027 and 5pm")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter the reason for the extension"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper(
            Field.text("organisation"), "new_deadline", Field.textarea("reason", rows=3), submit="Grant extension"
        )

    def clean_organisation(self):
        found, errors = resolve_organisations(self.cleaned_data["organisation"])
        if errors:
            raise forms.ValidationError(errors)
        if len(found) != 1:
            raise forms.ValidationError("Enter one council")
        return found[0]


class SectionForm(GovForm, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "description", "order", "stage"]
        labels = {"stage": "When is this section asked?"}
        widgets = {"stage": forms.RadioSelect}

    def __init__(self, *args, two_stage: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.text("title"), Field.textarea("description", rows=3), Field.text("order", field_width=4)]
        if two_stage:
            # Issue 16: a two-stage round asks some sections in the expression of interest.
            self.fields["stage"].choices = [
                ("eoi", "In the expression of interest (every council)"),
                ("full", "In the full bid (invited councils only)"),
            ]
            self.fields[
                "stage"
            ].help_text = "Questions asked in the expression of interest are shown, read-only, with the full bid"
            fields.append(Field.radios("stage"))
        else:
            self.fields.pop("stage")
        self._helper(*fields, submit="Save section")


class QuestionForm(GovForm, forms.ModelForm):
    choices_text = forms.CharField(
        label="Options",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Single and multiple choice only: one option per line",
    )

    show_if = forms.MultipleChoiceField(
        label="Only show this question when",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick answers to one earlier question. Leave all unticked to always show this question. "
        "A question that is not shown is not required.",
    )

    class Meta:
        model = Question
        fields = ["text", "hint", "type", "required", "word_limit", "order"]
        widgets = {"type": forms.RadioSelect}

    def __init__(self, *args, controllers=(), **kwargs):
        """`controllers`: the round's yes/no and choice questions this one could depend on."""
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = QuestionType.choices
        if self.instance.pk:
            self.fields["choices_text"].initial = "\n".join(self.instance.choices)
            self.fields["show_if"].initial = [
                f"{self.instance.show_if_question_id}:{v}" for v in self.instance.show_if_values
            ]
        options = []
        for q in controllers:
            if q.pk == self.instance.pk:
                continue
            if q.type == QuestionType.YES_NO:
                options += [(f"{q.pk}:yes", f"‘{q.text}’ is Yes"), (f"{q.pk}:no", f"‘{q.text}’ is No")]
            else:
                verb = "includes" if q.type == QuestionType.MULTIPLE_CHOICE else "is"
                options += [(f"{q.pk}:{c}", f"‘{q.text}’ {verb} {c}") for c in q.choices]
        self.fields["show_if"].choices = options
        layout = [
            Field.text("text"),
            Field.textarea("hint", rows=2),
            Field.radios("type"),
            Field.textarea("choices_text", rows=4),
            Field.text("word_limit", field_width=5),
            "required",
            Field.text("order", field_width=4),
        ]
        if options:
            layout.append(Field.checkboxes("show_if"))
        else:
            del self.fields["show_if"]
        self._helper(*layout, submit="Save question")

    def clean(self):
        data = super().clean()
        picked = [v.split(":", 1) for v in data.get("show_if") or []]
        if len({pk for pk, _ in picked}) > 1:
            self.add_error("show_if", "Tick answers to one question only")
        data["show_if_question"] = int(picked[0][0]) if picked else None
        data["show_if_values"] = [value for _, value in picked]
        options = [line.strip() for line in data.get("choices_text", "").splitlines() if line.strip()]
        if data.get("type") in ("single_choice", "multiple_choice") and len(options) < 2:
            self.add_error("choices_text", "Enter at least 2 options, one per line")
        if len(set(options)) != len(options):
            self.add_error("choices_text", "Each option must be different")
        data["choices"] = options
        return data


class CopyQuestionsForm(GovForm, forms.Form):
    source = IdChoiceField(
        label="Copy the questions of", queryset=Round.objects.none(), error_messages={"required": "Select a round"}
    )

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = rounds
        self._helper("source", submit="Copy questions")


# Issue 16, clarifications.
class ClarificationAskForm(GovForm, forms.Form):
    question = forms.CharField(
        label="Your question for the lead council",
        help_text="The council's officers will see it on their bid, as will the bid's assessors and the programme team",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"required": "Enter the question for the council"},
    )
    reply_by = GovDateField(label="Reply by", help_text="For example, 27 3 2027")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper(Field.textarea("question", rows=5), "reply_by", submit="Send question")


class ClarificationAnswerForm(GovForm, forms.Form):
    answer = forms.CharField(
        label="Your answer",
        help_text="You can answer once; the assessors and the programme team will see it",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "Enter your answer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper(Field.textarea("answer", rows=6), submit="Send answer")
