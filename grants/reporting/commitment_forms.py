"""Forms for a programme's commitments and deliverables. The rules on which unit and year a
measure allows are the service's (`commitment_errors`): the form shows them beside the field."""

from django import forms

from grants.awards.models import Rag
from grants.awards.models.monitoring import RAG_DEFINITIONS
from grants.core.fields import GovDateField, NumberField
from grants.core.layout import Field, FormHelper, Layout, Size, Submit
from grants.models import Programme

from .commitment_measures import measure_choices
from .commitment_services import commitment_errors
from .commitments import CommitmentUnit


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class CommitmentForm(forms.Form):
    text = forms.CharField(
        label="Commitment",
        max_length=300,
        help_text="As the funder reads it, for example 'Grants to at least 25 councils'",
        error_messages={"required": "Enter the commitment", "max_length": "Commitment must be 300 characters or fewer"},
    )
    financial_year = forms.IntegerField(
        label="Financial year (optional)",
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="The year it starts, for example 2018 for 2018/19. Leave empty for the whole programme",
        error_messages={
            "invalid": "Financial year must be a year, like 2018",
            "min_value": "Financial year must be 2000 or later",
            "max_value": "Financial year must be 2100 or earlier",
        },
    )
    target = NumberField(label="Target", help_text="The number to reach, for example 25 or 25000000")
    unit = forms.ChoiceField(
        label="Counted in",
        choices=CommitmentUnit.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the unit of the target"},
    )
    measure = forms.ChoiceField(
        label="How progress is measured",
        choices=measure_choices,
        help_text="From the awards and returns where it can be; otherwise entered by hand below",
        error_messages={"required": "Choose how progress is measured"},
    )
    manual_value = NumberField(label="Value reached (entered by hand only)", required=False)
    manual_as_at = GovDateField(
        label="Date the value was true (entered by hand only)", required=False, help_text="For example, 31 3 2019"
    )

    def __init__(self, *args, submit: str = "Save commitment", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("text"),
            Field.text("financial_year", field_width=4),
            Field.text("target", field_width=10),
            Field.radios("unit", inline=True),
            Field.select("measure"),
            Field.text("manual_value", field_width=10),
            "manual_as_at",
            submit=submit,
        )

    def clean(self):
        data = super().clean()
        for field, message in commitment_errors(data).items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class DeliverableForm(forms.Form):
    title = forms.CharField(
        label="Deliverable",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Enter the deliverable",
            "max_length": "Deliverable must be 300 characters or fewer",
        },
    )
    round = forms.ChoiceField(
        label="Round (optional)",
        required=False,
        help_text="Name a round to show the RAG status computed from its awards' latest returns beside yours",
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.rounds = {r.slug: r for r in programme.rounds.order_by("-financial_year", "name")}
        self.fields["round"].choices = [("", "No round")] + [(s, r.name) for s, r in self.rounds.items()]
        self.helper = _helper(Field.textarea("title", rows=2), Field.select("round"), submit="Add deliverable")

    def clean_round(self):
        return self.rounds.get(self.cleaned_data.get("round") or "")


class DeliverableRagForm(forms.Form):
    rag = forms.ChoiceField(
        label="RAG status",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose Green, Amber or Red"},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why it has this status: the board reads it beside every deliverable that is not Green",
        error_messages={
            "required": "Enter why the deliverable has this RAG status",
            "max_length": "Reason must be 1,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rag"].choices = [(k, f"{label}: {RAG_DEFINITIONS[k]}") for k, label in Rag.choices]
        self.helper = _helper(Field.radios("rag"), Field.textarea("reason", rows=3), submit="Set RAG status")
