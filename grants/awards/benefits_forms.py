"""Forms for benefits after closure (issue 17). Forms only collect input; the services decide."""

from django import forms

from grants.awards.models.benefits import BENEFIT_KINDS, BENEFIT_LABELS
from grants.core.fields import MoneyField, NumberField
from grants.core.layout import Field

from .forms import ClosureForm, GovForm


def _money_fields(form: forms.Form, hints: dict[str, str]) -> list:
    for kind in BENEFIT_KINDS:
        form.fields[kind] = MoneyField(label=f"{BENEFIT_LABELS[kind]} (£)", help_text=hints.get(kind, ""))
    return [Field.text(kind, field_width=10) for kind in BENEFIT_KINDS]


class BenefitsReturnForm(GovForm):
    submit_label = "Send the return"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commentary"] = forms.CharField(
            required=False,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text="How the figures were worked out, and anything that changed them",
        )
        hints = {
            "savings": "Cashable savings this year that came from the project. Enter 0 if none",
            "income": "New income this year that came from the project. Enter 0 if none",
            "costs_avoided": "Costs the council would have had this year without the project. Enter 0 if none",
        }
        fields = _money_fields(self, hints)
        self.layout(*fields, "commentary")


class BenefitsProjectionForm(GovForm):
    submit_label = "Save projected benefits"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hint = "In total over all the years of benefits returns. Enter 0 if none"
        self.layout(*_money_fields(self, dict.fromkeys(BENEFIT_KINDS, hint)))


class BenefitsYearsForm(GovForm):
    submit_label = "Save benefits returns"
    benefits_years = NumberField(
        label="Years of benefits returns after the project completes",
        decimal_places=0,
        max_value=10,
        help_text="Each award sends one benefits return (savings, income and costs avoided) for each year "
        "after it completes. Enter 0 for none",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout(Field.text("benefits_years", field_width=2))


class BenefitsClosureForm(ClosureForm):
    """The end-of-project report in a round that asks for benefits returns: the council also says
    what benefits it expects over the years after the project (the programme manager may change them)."""

    def __init__(self, *args, years: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        hint = f"In total over the {years} year{'s' if years != 1 else ''} after the project. Enter 0 if none"
        fields = _money_fields(self, dict.fromkeys(BENEFIT_KINDS, hint))
        for kind in BENEFIT_KINDS:
            self.fields[kind].label = f"Expected {BENEFIT_LABELS[kind].lower()} (£)"
        self.layout("closure_report", "case_study", *fields)

    def projected(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in BENEFIT_KINDS}
