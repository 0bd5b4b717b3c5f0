"""Filters and forms for reporting pages. The same filter form reads a page's GET parameters and
its downloads' parameters, so a download always has the filters on screen."""

import re
from datetime import date

from django import forms
from django.http import Http404
from django.utils import timezone

from grants.core.layout import Field, FormHelper, Layout, Size, Submit
from grants.models import Organisation, Round

from . import selectors


class RoundInProgrammeMixin:
    """A round chosen with a programme must belong to it (forms with `rounds` and `programmes`
    dicts keyed by slug)."""

    def clean(self):
        data = super().clean()
        rnd = self.rounds.get(data.get("round") or "")
        prog = self.programmes.get(data.get("programme") or "")
        if rnd and prog and rnd.programme_id != prog.pk:
            self.add_error("round", "Choose a round in the programme you chose, or all rounds")
        return data


class DashboardFilterForm(RoundInProgrammeMixin, forms.Form):
    programme = forms.ChoiceField(required=False, label="Programme")
    round = forms.ChoiceField(required=False, label="Round")
    year = forms.ChoiceField(required=False, label="Financial year")

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.programmes = {p.slug: p for p in selectors.visible_programmes(user)}
        rounds = Round.objects.filter(programme_id__in=[p.pk for p in self.programmes.values()])
        # Only what the choices and checks read: whole rounds (long guidance text and all) for a
        # choice list cost the dashboard more than its kept figures (issue 19).
        rounds = rounds.only("pk", "slug", "name", "programme_id").order_by("programme__name", "-opens_at")
        self.rounds = {r.slug: r for r in rounds}
        years = selectors.financial_years(user=user)
        self.fields["programme"].choices = [("", "All programmes")] + [(s, p.name) for s, p in self.programmes.items()]
        self.fields["round"].choices = [("", "All rounds")] + [(s, r.name) for s, r in self.rounds.items()]
        self.fields["year"].choices = [("", "All years")] + [(str(y), f"{y}/{(y + 1) % 100:02d}") for y in years]

    def filters(self) -> dict:
        """programme, round and year for the selectors; no filters when the form is invalid."""
        if not self.is_bound or not self.is_valid():
            return {"programme": None, "round": None, "year": None}
        d = self.cleaned_data
        year = d.get("year")
        return {
            "programme": self.programmes.get(d.get("programme") or ""),
            "round": self.rounds.get(d.get("round") or ""),
            "year": int(year) if year else None,
        }

    def applied(self) -> dict[str, str]:
        """The filters in force as GET parameters, for download links: none when the form is
        invalid, as the figures on screen then have none either."""
        f = self.filters()
        return {
            "programme": f["programme"].slug if f["programme"] else "",
            "round": f["round"].slug if f["round"] else "",
            "year": str(f["year"]) if f["year"] else "",
        }


def dashboard_filters(*, user, params) -> dict:
    """Filters for a download: the dashboard's, or 404 when they are not ones the user may use."""
    data = {k: params.get(k, "") for k in ("programme", "round", "year")}
    form = DashboardFilterForm(data, user=user)
    if not form.is_valid():
        raise Http404
    return form.filters()


def board_as_at(params) -> date:
    """The report date from ?as_at=YYYY-MM-DD, else the latest quarter end."""
    try:
        return date.fromisoformat(params.get("as_at", ""))
    except ValueError:
        return selectors.quarter_end(timezone.localdate())


def council_or_404(code: str) -> Organisation:
    org = Organisation.objects.filter(code=code).first() if code else None
    if org is None or not org.is_council:
        raise Http404
    return org


def parse_quarter_end(raw: str) -> date:
    """A quarter end written YYYY-MM-DD, strictly: anything else is an error, never a guess
    (a summary saved to a date nobody asked for is a summary nobody sees)."""
    raw = (raw or "").strip()
    try:
        day = date.fromisoformat(raw) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) else None
    except ValueError:
        day = None
    if day is None:
        raise forms.ValidationError("Enter the quarter end as a real date, for example 2019-03-31")
    if not selectors.is_quarter_end(day):
        raise forms.ValidationError(
            "The quarter end must be 31 March, 30 June, 30 September or 31 December, for example 2019-03-31"
        )
    return day


class BoardSummaryForm(forms.Form):
    as_at = forms.CharField(
        label="Quarter ending",
        help_text="For example, 2019-03-31",
        max_length=10,
        error_messages={"required": "Enter the quarter end the summary is for, for example 2019-03-31"},
    )
    summary = forms.CharField(
        label="Summary for the board",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a summary line", "max_length": "Summary must be 1,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's own form carries the programme in its action
        self.helper.layout = Layout(
            Field.text("as_at", field_width=10), Field.textarea("summary", rows=3), Submit("save", "Save summary")
        )

    def clean_as_at(self) -> date:
        return parse_quarter_end(self.cleaned_data["as_at"])


class OpenDataForm(RoundInProgrammeMixin, forms.Form):
    fmt = forms.ChoiceField(
        label="Format",
        choices=[("json", "JSON data package"), ("csv", "CSV with the standard's column titles")],
        initial="json",
        widget=forms.RadioSelect,
    )
    programme = forms.ChoiceField(required=False, label="Programme")
    round = forms.ChoiceField(required=False, label="Round")

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        progs = list(selectors.visible_programmes(user))
        rounds = Round.objects.filter(programme__in=progs).order_by("programme__name", "-opens_at")
        self.programmes = {p.slug: p for p in progs}
        self.rounds = {r.slug: r for r in rounds}
        self.fields["programme"].choices = [("", "All programmes")] + [(p.slug, p.name) for p in progs]
        self.fields["round"].choices = [("", "All rounds")] + [(r.slug, r.name) for r in rounds]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("fmt", legend_size=Size.SMALL),
            Field.select("programme"),
            Field.select("round"),
            Submit("export", "Create the file"),
        )
