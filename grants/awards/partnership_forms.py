"""Forms for standing partnerships (issue 17): forming one, and its members joining and leaving."""

from django import forms

from grants.core.fields import GovDateField, IdChoiceField
from grants.core.layout import Field
from grants.models import Organisation

from .forms import GovForm
from .historic_forms import council_lookup, councils_lookup


class PartnershipForm(GovForm):
    """Only the programmes the person manages are offered (`programmes`): a forged choice of
    another is refused as not one of the choices."""

    submit_label = "Form the partnership"
    programme = IdChoiceField(
        queryset=None, empty_label="Choose a programme", error_messages={"required": "Choose the programme"}
    )
    name = forms.CharField(
        label="Partnership name", max_length=200, error_messages={"required": "Enter the partnership's name"}
    )
    code = forms.CharField(
        label="Short code (optional)",
        max_length=30,
        required=False,
        help_text="Shown beside its name, for example OPE-KM",
    )
    lead = forms.CharField(
        label="Lead council",
        max_length=200,
        help_text="Its three-letter code or name, for example KEN. The lead is always a member",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Enter the lead council"},
    )
    formed_on = GovDateField(label="Date it was formed", help_text="For example, 1 4 2017")
    members = forms.CharField(
        label="Other member councils (optional)",
        required=False,
        max_length=1000,
        help_text="Three-letter codes or names, separated by commas. Each is a member from the date it was formed",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.layout(
            "programme",
            "name",
            Field.text("code", field_width=10),
            Field.text("lead", field_width=20),
            "formed_on",
            "members",
        )

    def clean_lead(self) -> Organisation:
        org, error = council_lookup(self.cleaned_data["lead"])
        if error:
            raise forms.ValidationError(error)
        return org

    def clean_members(self) -> tuple[Organisation, ...]:
        return tuple(councils_lookup(self.cleaned_data.get("members", "")))


class MemberAddForm(GovForm):
    submit_label = "Add the council"
    organisation = forms.CharField(
        label="Council",
        max_length=200,
        help_text="Its three-letter code or name, for example ECA",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Enter the council that joined"},
    )
    joined_on = GovDateField(label="Date it joined", help_text="For example, 1 6 2018")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout(Field.text("organisation", field_width=20), "joined_on")

    def clean_organisation(self) -> Organisation:
        org, error = council_lookup(self.cleaned_data["organisation"])
        if error:
            raise forms.ValidationError(error)
        return org


class MemberLeaveForm(GovForm):
    submit_label = "Record that it left"
    left_on = GovDateField(
        label="Date it left", help_text="The first day it is no longer a member, for example 1 4 2018"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout("left_on")
