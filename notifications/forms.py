"""The preferences form (which optional emails, round alerts, a daily digest) and the filters of
the failed-email page."""

from django import forms
from django.http import Http404

from grants.core.layout import Field, FormHelper, Layout, Size, Submit

from . import selectors
from .events import EVENTS
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


class FailedFilterForm(forms.Form):
    """The failed-email page's filters (GET). Only events that exist and programmes the user may
    see are choices, so a hand-edited address gets an error on the page, not someone else's list."""

    event = forms.ChoiceField(required=False, label="Event")
    programme = forms.ChoiceField(required=False, label="Programme")

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.programmes = {p.slug: p for p in selectors.failed_programmes(user=user)}
        self.fields["event"].choices = [("", "All events")] + sorted(
            ((e.name, e.label) for e in EVENTS.values()), key=lambda c: c[1]
        )
        self.fields["programme"].choices = [("", "All programmes")] + [(s, p.name) for s, p in self.programmes.items()]
        self.helper = FormHelper()  # the page lays the selects out itself; this shows the error summary

    def filters(self) -> dict:
        """event and programme for the selector; none when the form is invalid."""
        if not self.is_bound or not self.is_valid():
            return {"event": "", "programme": None}
        d = self.cleaned_data
        return {"event": d.get("event") or "", "programme": self.programmes.get(d.get("programme") or "")}

    def applied(self) -> dict[str, str]:
        """The filters in force as GET parameters, for the download links."""
        f = self.filters()
        return {"event": f["event"], "programme": f["programme"].slug if f["programme"] else ""}


def failed_filters(*, user, params) -> dict:
    """Filters for a download: the page's, or 404 when they are not ones the user may use."""
    form = FailedFilterForm({k: params.get(k, "") for k in ("event", "programme")}, user=user)
    if not form.is_valid():
        raise Http404
    return form.filters()
