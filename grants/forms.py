"""Staff forms for programmes, rounds and organisations, rendered by crispy-forms-gds."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms

from .fields import GovDateField, GovDateTimeField, MoneyField, NumberField
from .models import Organisation, Programme, Round
from .models.organisations import COUNCIL_KINDS, REGIONS, OrgKind


class GovFormMixin:
    submit_label = "Save"

    def _helper(self, *layout) -> None:
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.checkboxes_small = True
        self.helper.layout = Layout(*layout, Submit("submit", self.submit_label))


class ProgrammeForm(GovFormMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "slug", "code", "description", "funder", "partner_bodies"]
        help_texts = {"slug": "Used in web addresses and exports, for example behavioural-insights"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = Organisation.objects.exclude(kind__in=COUNCIL_KINDS).order_by("short_name")
        self.fields["funder"].queryset = bodies
        self.fields["partner_bodies"].queryset = bodies
        self.fields["partner_bodies"].widget = forms.CheckboxSelectMultiple()
        self.fields["partner_bodies"].choices = [(o.pk, o.short_name) for o in bodies]
        self._helper("name", "slug", "code", Field.textarea("description", rows=4), "funder", "partner_bodies")


class RoundForm(GovFormMixin, forms.ModelForm):
    financial_year = forms.IntegerField(
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-4"}),
        help_text="The year the financial year starts, for example 2018 for 2018/19",
        error_messages={"invalid": "Enter a year, for example 2026"},
    )
    budget = MoneyField(label="Budget (£)")
    min_award = MoneyField(label="Minimum award (£)")
    max_award = MoneyField(label="Maximum award (£)")
    match_funding_percent = NumberField(
        label="Match funding required (%)",
        max_value=100,
        help_text="The least match funding a bid must offer, as a percentage of the amount requested. 0 for none",
    )
    max_partners = forms.IntegerField(
        label="Most partners on a joint bid",
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-3"}),
    )
    opens_at = GovDateTimeField(label="Opens")
    closes_at = GovDateTimeField(label="Closes")
    assessment_deadline = GovDateTimeField(label="Assessment deadline", required=False)
    decision_date = GovDateField(label="Decision date", required=False, help_text="For example, 31 3 2027")
    eligible_kinds = forms.MultipleChoiceField(
        label="Types of organisation that may lead a bid",
        choices=[(k, OrgKind(k).label) for k in COUNCIL_KINDS]
        + [(k, OrgKind(k).label) for k in OrgKind.values if k not in COUNCIL_KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty to allow every type of council",
    )
    eligible_regions = forms.MultipleChoiceField(
        label="Regions",
        choices=[(r, r) for r in REGIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty to allow every region",
    )
    eligible_codes = forms.CharField(
        label="Named list of eligible organisations (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Three-letter council codes separated by commas or spaces, for example KEN, BIR, LDS",
    )

    class Meta:
        model = Round
        fields = [
            "name",
            "slug",
            "reference_prefix",
            "financial_year",
            "budget",
            "min_award",
            "max_award",
            "match_funding_percent",
            "opens_at",
            "closes_at",
            "assessment_deadline",
            "decision_date",
            "prospectus",
            "prospectus_document",
            "england_only",
            "eligibility_note",
            "joint_bids_allowed",
            "max_partners",
            "published",
        ]
        labels = {"published": "Publish this round"}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        if self.instance.pk:
            self.initial.setdefault("eligible_kinds", self.instance.eligible_kinds)
            self.initial.setdefault("eligible_regions", self.instance.eligible_regions)
            self.initial.setdefault(
                "eligible_codes",
                ", ".join(self.instance.eligible_organisations.order_by("code").values_list("code", flat=True)),
            )
        self._helper(
            Fieldset("name", "slug", "reference_prefix", "financial_year", legend="The round", legend_size=Size.MEDIUM),
            Fieldset(
                "budget", "min_award", "max_award", "match_funding_percent", legend="Money", legend_size=Size.MEDIUM
            ),
            Fieldset(
                "opens_at",
                "closes_at",
                "assessment_deadline",
                "decision_date",
                legend="Dates (UK time)",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "eligible_kinds",
                "eligible_regions",
                "england_only",
                "eligible_codes",
                "eligibility_note",
                "joint_bids_allowed",
                "max_partners",
                legend="Who may apply",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("prospectus", rows=8),
                "prospectus_document",
                legend="Prospectus",
                legend_size=Size.MEDIUM,
            ),
            "published",
        )

    def clean_eligible_codes(self) -> list[Organisation]:
        raw = self.cleaned_data.get("eligible_codes", "")
        codes = {c.strip().upper() for c in raw.replace(",", " ").split() if c.strip()}
        if not codes:
            return []
        found = list(Organisation.objects.filter(code__in=codes))
        missing = codes - {o.code for o in found}
        if missing:
            raise forms.ValidationError(f"No organisation has these codes: {', '.join(sorted(missing))}")
        return found

    def _post_clean(self) -> None:
        self.instance.programme = self.programme
        self.instance.eligible_kinds = self.cleaned_data.get("eligible_kinds", [])
        self.instance.eligible_regions = self.cleaned_data.get("eligible_regions", [])
        super()._post_clean()


class OrganisationForm(GovFormMixin, forms.ModelForm):
    submit_label = "Add organisation"

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "region", "other_identifier", "gss_code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, OrgKind(k).label) for k in OrgKind.values if k not in COUNCIL_KINDS]
        self.fields["region"] = forms.ChoiceField(
            choices=[("", "Not in one region")] + [(r, r) for r in REGIONS], required=False
        )
        self._helper("name", "short_name", "kind", "region", "other_identifier", "gss_code")


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label="Search by name, code or former name", required=False, max_length=100)
