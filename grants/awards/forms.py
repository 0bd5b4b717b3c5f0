"""Award forms (GOV.UK template pack, grants.core.layout). Forms only collect input; the services decide."""

from django import forms
from django.conf import settings
from django.utils import timezone

from grants.awards.models import (
    ContactKind,
    FundReturn,
    MilestoneStatus,
    Rag,
    RoundOutput,
    VariationKind,
)
from grants.awards.models.monitoring import RAG_DEFINITIONS
from grants.core.fields import GovDateField, IdChoiceField, MoneyField, NumberField
from grants.core.layout import HTML, Button, Div, Field, FormHelper, Layout, Size, Submit

from .spend_fields import add_spend_fields


class GovForm(forms.Form):
    submit_label = "Save"

    def layout(self, *fields) -> None:
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(*fields, Submit("submit", self.submit_label))


class AcceptForm(GovForm):
    submit_label = "Accept the offer"
    name = forms.CharField(label="Your full name", max_length=150)
    role = forms.CharField(label="Your job title", max_length=150)
    confirm_terms = forms.BooleanField(
        label="I confirm that I am authorised to accept this offer for my council, and that the council accepts "
        "the amount, conditions, payment schedule, milestones and return schedule in the offer letter",
        error_messages={"required": "Confirm that your council accepts the terms of the offer"},
    )
    # The fingerprint of the terms shown, so terms changed meanwhile are not accepted unseen.
    terms_digest = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout("name", "role", "confirm_terms", "terms_digest")


class OfferTermsForm(GovForm):
    submit_label = "Save the terms"
    conditions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Shown in the offer letter. Leave empty for the programme's standard conditions",
    )
    match_funding = MoneyField(
        label="Match funding (£)",
        required=False,
        help_text="What the council puts in alongside the grant, shown in the offer letter. Enter 0 if none",
    )
    respond_by = GovDateField(
        label="Reply-by date", help_text="The council must accept by this date, for example 27 3 2027"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout("conditions", Field.text("match_funding", field_width=10), "respond_by")


class DeclineForm(GovForm):
    submit_label = "Decline the offer"
    reason = forms.CharField(label="Why is your council declining the offer?", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout("reason")


class ReasonForm(GovForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label: str = "Reason", submit: str = "Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.submit_label = submit
        self.layout("reason")


class EndForm(GovForm):
    submit_label = "Confirm"
    to = forms.ChoiceField(
        label="What do you want to do?",
        choices=[("withdrawn", "Withdraw the offer"), ("terminated", "Terminate the award")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout("to", "reason")


class PaymentForm(GovForm):
    submit_label = "Approve and record payment"
    paid_on = GovDateField(label="Date paid")
    payment_reference = forms.CharField(label="Payment reference", max_length=60)
    totp_code = forms.CharField(
        label="Code from your authenticator app",
        help_text="Enter a current 6-digit code to confirm it is you",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def clean_totp_code(self) -> str:
        """People type '123 456' as the app shows it."""
        code = "".join(self.cleaned_data["totp_code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app")
        return code

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()
        self.layout("paid_on", "payment_reference", Field.text("totp_code", field_width=5))


class TrancheForm(forms.Form):
    amount = MoneyField(label="Amount (£)", required=False)
    due_on = GovDateField(label="Due date", required=False)
    milestone = IdChoiceField(queryset=None, required=False, label="Or after milestone")

    def __init__(self, *args, milestones=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = milestones

    def clean(self):
        """A row is used when it has an amount; it then needs a date or a milestone."""
        data = super().clean()
        amount = data.get("amount")
        if "amount" in self.errors:
            return data
        if amount is None:
            if data.get("due_on") or data.get("milestone"):
                self.add_error("amount", "Enter an amount, or clear the row's date and milestone to drop it")
        elif amount <= 0:
            self.add_error("amount", "Enter an amount more than £0")
        elif not data.get("due_on") and not data.get("milestone") and "due_on" not in self.errors:
            self.add_error("due_on", "Enter a due date or choose the milestone the tranche waits for")
        return data


# One blank row after the planned tranches; "Add another tranche" posts back for one more.
TrancheFormSet = forms.formset_factory(TrancheForm, extra=1, min_num=0, max_num=40, validate_max=True)


class MilestoneForm(GovForm):
    submit_label = "Add milestone"
    description = forms.CharField(max_length=300)
    due_on = GovDateField(label="Due date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout("description", "due_on")


class ClearableFileInput(forms.ClearableFileInput):
    """Several files in one input. A FileInput, so the template pack gives it the
    GOV.UK classes it gives a single file input (govuk-file-upload, and --error with an error)."""

    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Collects the chosen files; the service checks each by its content (grants.core.uploads)
    and reports a refusal against this field."""

    widget = ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt,.png,.jpg,.jpeg"})

    def __init__(self, **kwargs):
        super().__init__(required=False, label="Evidence files (optional)", **kwargs)

    def clean(self, data, initial=None):
        return [f for f in (data if isinstance(data, list | tuple) else [data]) if f]


def with_evidence_files(form: forms.Form) -> None:
    """The file input's hint, read when the form is made (the size limit is a setting)."""
    from grants.core.uploads import ALLOWED_LABEL, size_label

    limit = size_label(settings.UPLOAD_MAX_BYTES)
    form.fields["evidence_files"].help_text = f"{ALLOWED_LABEL}, each smaller than {limit}. You can choose several."


# The files already attached, each with a Remove button for the page's own remove forms
# (outside this form): shown just above the input that adds more.
EVIDENCE_LIST = HTML('{% include "awards/_evidence_files.html" with removable=True %}')


class MilestoneUpdateForm(GovForm):
    submit_label = "Save progress"
    status = forms.ChoiceField(choices=MilestoneStatus.choices, widget=forms.RadioSelect)
    evidence = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required for complete or missed, unless you attach a file: a link or a summary of what shows it",
    )
    evidence_files = EvidenceFilesField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_evidence_files(self)
        self.layout("status", "evidence", EVIDENCE_LIST, "evidence_files")


class ReturnForm(GovForm):
    submit_label = "Send return"
    rag = forms.ChoiceField(
        label="RAG status",
        choices=[(v, f"{label}: {RAG_DEFINITIONS[v]}") for v, label in Rag.choices],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a RAG status"},
    )
    commentary = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Required for Amber and Red: what has slipped and what you are doing about it",
    )
    evidence = forms.CharField(
        label="Evidence (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Links, or a summary of what shows the progress. Attach documents below",
    )
    evidence_files = EvidenceFilesField()

    def __init__(self, *args, outputs: list[RoundOutput] = (), can_send=True, can_draft=False, draft=False, **kw):
        """Offers "Send return" (or `send_label`) once the period has ended (`can_send`), "Save
        draft" while it was never sent (`can_draft`); a `draft` POST may leave the RAG status and
        spend for later. `spend_required`: the spend boxes that must not be left empty."""
        spend_required, self.submit_label = kw.pop("spend_required", ()), kw.pop("send_label", "") or self.submit_label
        super().__init__(*args, **kw)
        names = []
        for o in outputs:
            name = f"output_{o.pk}"
            label = f"{o.name} this period" + (" (£)" if o.unit == "pounds" else "")
            self.fields[name] = (MoneyField if o.unit == "pounds" else NumberField)(
                label=label, required=False, decimal_places=2 if o.unit == "pounds" else 0
            )
            names.append(Field.text(name, field_width=10))
        self.outputs = list(outputs)
        self.draft = draft
        if draft:
            self.fields["rag"].required = False
        spend = add_spend_fields(self, required=() if draft else spend_required)
        with_evidence_files(self)
        self.layout("rag", "commentary", *names, *spend, "evidence", EVIDENCE_LIST, "evidence_files")
        buttons = [Submit("submit", self.submit_label)] if can_send else []
        if can_draft:
            buttons.append(
                Button.secondary("save_draft", "Save draft") if can_send else Submit("save_draft", "Save draft")
            )
        self.helper.layout.fields[-1] = Div(*buttons, css_class="govuk-button-group")

    def clean(self):
        data = super().clean()
        if self.draft:
            return data
        from .services import return_validate

        for field, message in return_validate(rag=data.get("rag", ""), commentary=data.get("commentary", "")).items():
            if field not in self.errors:
                self.add_error(field, message)
        return data

    def output_values(self) -> dict[int, object]:
        return {o.pk: self.cleaned_data.get(f"output_{o.pk}") for o in self.outputs}


class ReviewForm(GovForm):
    submit_label = "Save decision"
    decision = forms.ChoiceField(
        choices=[("approve", "Approve the return"), ("changes", "Ask the council for changes")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or ask for changes"},
    )
    reason = forms.CharField(
        label="What needs to change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required to ask for changes",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout("decision", "reason")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "changes" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter what the council needs to change")
        return data


class VariationForm(GovForm):
    submit_label = "Send request"
    kind = forms.ChoiceField(
        label="What do you want to change?",
        # A new baseline names its output: asked for from that output's forecast page.
        choices=[c for c in VariationKind.choices if c[0] != VariationKind.REBASELINE],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Why do you need the change?", widget=forms.Textarea(attrs={"rows": 4}))
    new_planned_start = GovDateField(label="New start date (for a change of dates)", required=False)
    new_planned_end = GovDateField(label="New end date (for a change of dates)", required=False)
    new_amount = MoneyField(label="New amount in pounds (for a change of amount)", required=False)
    new_scope = forms.CharField(
        label="New scope (for a change of scope)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout(
            "kind",
            "reason",
            "new_planned_start",
            "new_planned_end",
            Field.text("new_amount", field_width=10),
            "new_scope",
        )


class VariationDecisionForm(GovForm):
    submit_label = "Save decision"
    decision = forms.ChoiceField(
        choices=[("approve", "Approve and apply the change"), ("refuse", "Refuse")], widget=forms.RadioSelect
    )
    decision_reason = forms.CharField(
        label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="Required to refuse"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout("decision", "decision_reason")


class FundReturnForm(GovForm):
    submit_label = "Record returned funds"
    kind = forms.ChoiceField(choices=FundReturn.Kind.choices, widget=forms.RadioSelect, label="Type")
    amount = MoneyField(label="Amount (£)")
    returned_on = GovDateField(label="Date received")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout("kind", Field.text("amount", field_width=10), "returned_on", "reason")


class ClosureForm(GovForm):
    submit_label = "Send report"
    closure_report = forms.CharField(label="End-of-project report", widget=forms.Textarea(attrs={"rows": 8}))
    case_study = forms.CharField(
        label="Case study",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A short story of the project other councils can learn from",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout("closure_report", "case_study", HTML(""))


# Issue 16, notes
class ContactLogForm(GovForm):
    submit_label = "Log the contact"
    held_on = GovDateField(label="Date of the contact", help_text="For example, 27 3 2026")
    kind = forms.ChoiceField(
        label="Kind of contact",
        choices=ContactKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of contact it was"},
    )
    participants = forms.CharField(
        label="Who took part",
        max_length=500,
        help_text="Names and organisations",
        error_messages={"required": "Enter who took part"},
    )
    agreed = forms.CharField(
        label="What was agreed",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what was agreed"},
    )
    follow_up_by = GovDateField(label="Follow up by (optional)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout("held_on", "kind", Field.text("participants"), "agreed", "follow_up_by")
