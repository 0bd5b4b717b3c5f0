"""The form that makes an API token: a name to tell it apart, and how long it lasts."""

from django import forms

from grants.forms import GovFormMixin

LIFETIMES = [("30", "30 days"), ("90", "90 days"), ("180", "6 months"), ("365", "1 year")]


class TokenForm(GovFormMixin, forms.Form):
    submit_label = "Create token"
    nouns = {"name": "a name for the token", "days": "how long the token lasts"}
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, so you can tell your tokens apart. For example, finance system export",
    )
    days = forms.ChoiceField(label="How long it lasts", choices=LIFETIMES, initial="90", widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._messages()
        self._helper("name", "days")
