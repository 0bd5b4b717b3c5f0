"""Entering an award made before the service (or outside it): the round, the lead council (or a
partnership), its partners and the award's dates. Kept apart from the award forms it shares a base with."""

from django import forms

from grants.awards.models import AwardStatus
from grants.core.fields import GovDateField, IdChoiceField, MoneyField
from grants.core.layout import Field
from grants.models import Organisation, Partnership
from grants.selectors import council_find

from .forms import GovForm


def council_lookup(text: str) -> tuple[Organisation | None, str]:
    """One council from its three-letter code, GSS code or name, or why not (grants.selectors.council_find
    owns the matching; the form also takes a single partial match)."""
    match = council_find(text, fuzzy=True)
    return match.org, match.error


def councils_lookup(text: str) -> list[Organisation]:
    """Councils from a box of codes or names separated by commas; every one that cannot be found
    is an error on that box (a partnership's members, an award's partners)."""
    found, errors = [], []
    for term in [t for t in text.split(",") if t.strip()]:
        org, error = council_lookup(term)
        if error:
            errors.append(error)
        else:
            found.append(org)
    if errors:
        raise forms.ValidationError(errors)
    return found


class HistoricAwardForm(GovForm):
    submit_label = "Enter the award"
    round = IdChoiceField(queryset=None, empty_label="Choose a round", error_messages={"required": "Choose the round"})
    partnership = IdChoiceField(  # Issue 17: an award to a partnership takes its lead and partners from it
        label="Partnership (optional)", queryset=None, required=False, empty_label="None: an award to a council",
        help_text="Led by the partnership's lead council, with its members on the award date as partners",
    )  # fmt: skip
    lead = forms.CharField(
        label="Lead council",
        max_length=200,
        required=False,
        help_text="Its three-letter code or name, for example KEN. Leave it empty for a partnership's award",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    partners = forms.CharField(
        label="Partner councils (optional)",
        required=False,
        max_length=1000,
        help_text="Three-letter codes or names, separated by commas",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    title = forms.CharField(
        label="Project title", max_length=200, error_messages={"required": "Enter the project title"}
    )
    amount = MoneyField(label="Amount awarded (£)", error_messages={"required": "Enter the amount awarded"})
    match_funding = MoneyField(
        label="Match funding (£) (optional)",
        required=False,
        help_text="What the council put in alongside the grant, if the round asked for it",
    )
    award_date = GovDateField(label="Award date")
    status = forms.ChoiceField(
        label="Status now",
        choices=[
            (s, AwardStatus(s).label)
            for s in (
                AwardStatus.ACTIVE,
                AwardStatus.ACCEPTED,
                AwardStatus.COMPLETED,
                AwardStatus.TERMINATED,
                AwardStatus.WITHDRAWN,
                AwardStatus.DECLINED,
            )
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the award's status"},
    )
    planned_start = GovDateField(label="Planned start", required=False)
    planned_end = GovDateField(label="Planned end", required=False)

    def __init__(self, *args, rounds=None, partnerships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["partnership"].queryset = partnerships if partnerships is not None else Partnership.objects.none()
        self.layout(
            "round", "partnership", Field.text("lead", field_width=20), "partners", "title", Field.text("amount", field_width=10),
            Field.text("match_funding", field_width=10), "award_date", "status", "planned_start", "planned_end",
        )  # fmt: skip

    def clean_lead(self) -> Organisation | None:
        if not self.cleaned_data["lead"].strip():
            return None  # a partnership's award needs none; clean() asks for it otherwise
        org, error = council_lookup(self.cleaned_data["lead"])
        if error:
            raise forms.ValidationError(error)
        return org

    def clean_partners(self) -> list[Organisation]:
        return councils_lookup(self.cleaned_data.get("partners", ""))

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", "The planned end must be the same as or after the planned start")
        if data.get("partnership") is not None:
            data["lead"] = data["partnership"].lead
        elif data.get("lead") is None and "lead" not in self.errors:
            self.add_error("lead", "Enter the lead council")
        return data
