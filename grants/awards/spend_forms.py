"""Issue 17: the spend part of the return form, and the certifier's form. Forms only collect
input; the services (services/spend.py, services/certification.py) decide."""

from django import forms

from grants.awards.models.monitoring import SPEND_FIELDS
from grants.core.fields import MoneyField
from grants.core.layout import HTML, Field

from .forms import GovForm
from .services.spend import LABELS

HINTS = {
    "spend_capital": "Grant money spent in this period on capital: buildings, land, equipment",
    "spend_revenue": "Grant money spent in this period on everything else: staff, services, running costs",
    "match_spent": "Your council's and partners' own money spent on the project in this period",
    "forecast_capital": "All the capital grant you expect to have spent when the project is complete",
    "forecast_revenue": "All the revenue grant you expect to have spent when the project is complete",
}


def add_spend_fields(form: forms.Form, *, required: tuple[str, ...] = ()) -> list:
    """Add the five spend boxes to `form` (required ones refuse an empty box) and return their
    layout, under a heading."""
    for name in SPEND_FIELDS:
        form.fields[name] = MoneyField(
            label=f"{LABELS[name]} (£)",
            required=name in required,
            help_text=HINTS[name],
            error_messages={"required": f"Enter {LABELS[name][:1].lower()}{LABELS[name][1:]}, or 0"},
        )
    return [
        HTML('<h2 class="govuk-heading-m">Spend</h2>'),
        *[Field.text(name, field_width=10) for name in SPEND_FIELDS],
    ]


class CertifyForm(GovForm):
    submit_label = "Save decision"
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("certify", "Certify the return"), ("send_back", "Send it back to the officer")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose certify or send it back"},
    )
    declaration = forms.BooleanField(
        label="I certify that, to the best of my knowledge, the spend, outputs and commentary in this return "
        "are accurate and that the grant has been spent in line with the conditions of the award",
        required=False,
    )
    reason = forms.CharField(
        label="What the officer needs to change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required to send it back",
    )
    # The fingerprint of what the page showed, so a return changed meanwhile is not certified unseen.
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout("decision", "declaration", "reason", "seen")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "certify" and not data.get("declaration"):
            self.add_error("declaration", "Confirm the declaration to certify the return")
        if data.get("decision") == "send_back" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter what the officer needs to change")
        return data
