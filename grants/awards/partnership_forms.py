"""Forms for standing partnerships' members (issue 17)."""

from django import forms

from grants.core.fields import GovDateField
from grants.core.layout import Field
from grants.models import Organisation

from .forms import GovForm
from .historic_forms import council_lookup


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
