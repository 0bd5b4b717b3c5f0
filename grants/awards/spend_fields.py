"""Issue 17: the spend boxes of the return form (services/spend.py checks them again)."""

from django import forms

from grants.awards.models.monitoring import SPEND_FIELDS
from grants.core.fields import MoneyField
from grants.core.layout import HTML, Field

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


def spend_data(form: forms.Form) -> dict[str, object]:
    """The five spend figures from a valid form, for the services."""
    return {f: form.cleaned_data.get(f) for f in SPEND_FIELDS}
