"""A round's monitoring set-up: its schedule of returns, the outputs it asks for, an award's
targets. Kept apart from the council-facing award forms."""

from django import forms

from grants.awards.models import OutputKind, OutputUnit
from grants.core.fields import GovDateField, PercentField
from grants.core.layout import Field
from grants.core.money import percent

from .forms import GovForm

# The most a tolerance may be: the column holds five digits, two after the point (999.99%).
MAX_TOLERANCE = 999


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
    tolerance = PercentField(
        label="Tolerance",
        required=False,
        max_value=MAX_TOLERANCE,
        help_text="How far, as a percentage of the baseline, a forecast may move and still be within tolerance. "
        "Leave empty for 5%",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout("kind", "label", "unit", Field.text("tolerance", field_width=4))


class TargetsForm(GovForm):
    """Per output: the target, its inception baseline (the target unless given; fixed once set,
    then changed only by a variation) and its own tolerance (empty: the round output's)."""

    submit_label = "Save targets"

    def __init__(self, *args, outputs=(), fixed_baselines=(), **kwargs):
        from .forecast_forms import figure_field

        super().__init__(*args, **kwargs)
        self.outputs = list(outputs)
        fields = []
        for o in self.outputs:
            self.fields[f"output_{o.pk}"] = figure_field(o.unit, o.name, required=False)
            fields.append(Field.text(f"output_{o.pk}", field_width=10))
            if o.pk not in fixed_baselines:
                self.fields[f"baseline_{o.pk}"] = figure_field(
                    o.unit,
                    f"{o.name}: baseline at inception",
                    required=False,
                    help_text="Leave empty to use the target",
                )
                fields.append(Field.text(f"baseline_{o.pk}", field_width=10))
            self.fields[f"tolerance_{o.pk}"] = PercentField(
                label=f"{o.name}: tolerance",
                required=False,
                max_value=MAX_TOLERANCE,
                help_text=f"Leave empty for the round's {percent(o.tolerance, 2)}",
            )
            fields.append(Field.text(f"tolerance_{o.pk}", field_width=4))
        self.layout(*fields)

    def _each(self, prefix: str) -> dict:
        return {
            o.pk: self.cleaned_data[f"{prefix}_{o.pk}"]
            for o in self.outputs
            if self.cleaned_data.get(f"{prefix}_{o.pk}") is not None
        }

    def targets(self) -> dict:
        return self._each("output")

    def baselines(self) -> dict:
        return self._each("baseline")

    def tolerances(self) -> dict:
        return {o.pk: self.cleaned_data.get(f"tolerance_{o.pk}") for o in self.outputs if o.pk in self.targets()}


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
