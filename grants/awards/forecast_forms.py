"""Forms for an output's forecast and for asking to change its baseline. Kept apart from the
return form: a forecast is recorded on a page of its own."""

from django import forms

from grants.core.fields import MoneyField, NumberField, PercentField
from grants.core.layout import Field

from .forms import GovForm


def figure_field(unit: str, label: str, **kwargs) -> NumberField:
    """A box for a figure in the output's unit (a percentage may pass 100: "a 150% increase")."""
    if unit == "pounds":
        return MoneyField(label=f"{label} (£)", **kwargs)
    if unit == "percent":
        return PercentField(label=f"{label} (%)", max_value=None, max_digits=14, **kwargs)
    return NumberField(label=label, **kwargs)


class ForecastForm(GovForm):
    submit_label = "Record the forecast"
    reason = forms.CharField(
        label="Why has the forecast changed?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the forecast has changed"},
    )

    def __init__(self, *args, unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"] = figure_field(
            unit, "New forecast of the final figure", help_text="What you now expect by the end of the project"
        )
        self.layout(Field.text("value", field_width=10), "reason")


class RebaselineForm(GovForm):
    submit_label = "Send request"
    reason = forms.CharField(
        label="Why should the baseline change?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the baseline should change"},
    )

    def __init__(self, *args, unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_baseline"] = figure_field(unit, "New baseline")
        self.layout(Field.text("new_baseline", field_width=10), "reason")
