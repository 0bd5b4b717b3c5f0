"""The preferences form: which optional emails to get, and (staff, panel) a daily digest."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from .models import Preference
from .services import email_choice_events

YES_NO = [("yes", "Yes"), ("no", "No")]


class PreferencesForm(forms.Form):
    emails_on = forms.MultipleChoiceField(
        label="Which optional emails do you want?",
        choices=[],  # set in __init__: the optional emails less round alerts, asked below
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Emails about decisions, offers, payments and anything you must act on are always sent. "
        "Everything also appears in your notifications in the service.",
    )
    round_opening_alerts = forms.ChoiceField(
        label="Do you want an email when a funding round your council can bid for opens?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    daily_digest = forms.ChoiceField(
        label="How often do you want emails?",
        choices=[("no", "Each email as it happens"), ("yes", "One summary a day")],
        widget=forms.RadioSelect,
        help_text="The summary is sent at 7:30am.",
    )

    def __init__(self, *args, preference: Preference, digest_allowed: bool, **kwargs):
        self.choice_events = email_choice_events()
        initial = {
            "emails_on": [e.name for e in self.choice_events if e.name not in preference.emails_off],
            "round_opening_alerts": "yes" if preference.round_opening_alerts else "no",
            "daily_digest": "yes" if preference.daily_digest else "no",
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["emails_on"].choices = [(e.name, e.label) for e in self.choice_events]
        fields = [Field.checkboxes("emails_on"), Field.radios("round_opening_alerts", inline=True)]
        if digest_allowed:
            fields.append(Field.radios("daily_digest"))
        else:
            del self.fields["daily_digest"]
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.MEDIUM
        self.helper.layout = Layout(*fields, Submit("submit", "Save settings"))

    def emails_off(self) -> list[str]:
        on = set(self.cleaned_data["emails_on"])
        return [e.name for e in self.choice_events if e.name not in on]
