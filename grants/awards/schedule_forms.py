"""A round's monitoring set-up: its schedule of returns, the outputs it asks for, an award's
targets. Kept apart from the council-facing award forms."""

from django import forms

from grants.awards.models import OutputKind, OutputUnit
from grants.core.fields import GovDateField, MoneyField, NumberField, PercentField
from grants.core.layout import Field

from .forms import GovForm


class ReturnPeriodForm(GovForm):
    submit_label = "Add return"
    title = forms.CharField(label="Name", max_length=100, help_text="For example Quarter 1 2019/20")
    period_start = GovDateField(label="Period starts")
    period_end = GovDateField(label="Period ends")
    due_on = GovDateField(label="Return due")

    def __init__(self, *args, submit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.submit_label = submit or self.submit_label
        self.layout("title", "period_start", "period_end", "due_on")


class RoundOutputForm(GovForm):
    submit_label = "Add output"
    kind = forms.ChoiceField(label="Output", choices=OutputKind.choices, widget=forms.RadioSelect)
    label = forms.CharField(label="Name (custom outputs only)", required=False, max_length=120)
    unit = forms.ChoiceField(
        label="Measured in (custom outputs only)", required=False, choices=[("", "Choose"), *OutputUnit.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout("kind", "label", "unit")


class TargetsForm(GovForm):
    submit_label = "Save targets"

    def __init__(self, *args, outputs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.outputs = list(outputs)
        for o in self.outputs:
            label = o.name + (" (£)" if o.unit == "pounds" else "")
            self.fields[f"output_{o.pk}"] = (MoneyField if o.unit == "pounds" else NumberField)(
                label=label, required=False
            )
        self.layout(*[Field.text(f"output_{o.pk}", field_width=10) for o in self.outputs])

    def targets(self) -> dict:
        return {
            o.pk: self.cleaned_data[f"output_{o.pk}"]
            for o in self.outputs
            if self.cleaned_data.get(f"output_{o.pk}") is not None
        }


class RoundSpendForm(GovForm):
    """Issue 17: spend in the round's returns, its tolerance, and certification by the council."""

    submit_label = "Save spend and certification"
    returns_ask_spend = forms.BooleanField(
        label="Returns must report spend this period and the forecast at completion", required=False
    )
    spend_tolerance_percent = PercentField(
        label="Spend tolerance (%)",
        help_text="A forecast under or over the award by more than this share is flagged, for example 10",
    )
    returns_need_certifying = forms.BooleanField(
        label="Each return must be certified by the council's section 151 officer or delegate", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout(
            "returns_ask_spend", Field.text("spend_tolerance_percent", field_width=4), "returns_need_certifying"
        )
