"""Staff forms for programmes, rounds and organisations, rendered by the GOV.UK template pack (grants.core.layout).

Every field's messages follow the GOV.UK pattern and name the field ('Enter the round name',
'Budget must be £0 or more'), set from one table per form by `GovFormMixin.messages`.
"""

from django import forms
from django.core.exceptions import ValidationError

from grants.core.fields import (
    GovDateField,
    GovDateTimeField,
    IdChoiceField,
    IdMultipleChoiceField,
    MoneyField,
    PercentField,
    field_name,
)
from grants.core.forms import gov_helper
from grants.core.layout import Field, Fieldset, Size
from grants.core.words import counted

from . import services
from .models import Organisation, Programme, Round
from .models.organisations import COUNCIL_KINDS, REGIONS, OrgKind

PROSPECTUS_KINDS = {"pdf", "docx", "odt"}


class GovFormMixin:
    submit_label = "Save"
    # field name -> the noun after 'Enter' or 'Select' ('the round name').
    nouns: dict[str, str] = {}

    warning = False  # a form whose button destroys something (erasing a person)

    def _helper(self, *layout) -> None:
        self.helper = gov_helper(*layout, submit=self.submit_label, checkboxes_small=True, warning=self.warning)

    def _messages(self) -> None:
        """GOV.UK messages for what Django would otherwise say ('This field is required.')."""
        for name, noun in self.nouns.items():
            field = self.fields[name]
            title = field_name(field.label or name)
            choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            verb = "Select" if choosing else "Enter"
            field.error_messages["required"] = f"{verb} {noun}"
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = (
                    f"{title} must be {counted(field.max_length, 'character')} or fewer"
                )
            if choosing:
                pick = f"{verb} {noun} from the list"
                field.error_messages["invalid_choice"] = field.error_messages["invalid_pk_value"] = pick
                field.error_messages["invalid_list"] = pick
            if isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = f"Enter {noun} in the correct format, like name@example.com"
            if isinstance(field, forms.SlugField):
                field.error_messages["invalid"] = f"{title} must only include letters, numbers and hyphens"
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = f"{title} must be a real date, like 31 3 2027"


class ProgrammeForm(GovFormMixin, forms.ModelForm):
    nouns = {
        "name": "the programme name",
        "slug": "the web address",
        "code": "the programme code",
        "description": "a description",
        "funder": "the funder",
        "partner_bodies": "partner bodies",
        "co_funders": "co-funders",
        "contact_name": "the contact name",
        "contact_email": "the contact email address",
    }

    class Meta:
        model = Programme
        fields = [
            "name", "slug", "code", "description", "funder", "partner_bodies", "co_funders", "contact_name",
            "contact_email",
        ]  # fmt: skip
        field_classes = {
            "funder": IdChoiceField,
            "partner_bodies": IdMultipleChoiceField,
            "co_funders": IdMultipleChoiceField,
        }
        labels = {
            "slug": "Web address",
            "code": "Programme code",
            "co_funders": "Co-funders (optional)",
            "contact_name": "Contact name (optional)",
            "contact_email": "Contact email address (optional)",
        }
        help_texts = {
            "slug": "Used in web addresses and exports, for example behavioural-insights",
            "contact_name": "The team councils and panel members ask, for example Digital programme team",
            "contact_email": "Shown on the programme's round pages and in emails about them. Leave empty to use "
            "the service's contact",
            "co_funders": "Bodies whose money is in this programme's grants alongside the funder's. Open data "
            "names them after the funder, by the identifier on their organisation page",
        }
        error_messages = {
            "name": {"unique": "A programme with this name already exists"},
            "slug": {"unique": "A programme with this web address already exists"},
            "code": {"unique": "A programme with this code already exists"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = Organisation.objects.exclude(kind__in=COUNCIL_KINDS).order_by("short_name")
        self.fields["funder"].queryset = bodies
        self.fields["partner_bodies"].queryset = bodies
        self.fields["partner_bodies"].widget = forms.CheckboxSelectMultiple()
        self.fields["partner_bodies"].choices = [(o.pk, o.short_name) for o in bodies]
        self.fields["co_funders"].queryset = bodies
        self.fields["co_funders"].widget = forms.CheckboxSelectMultiple()
        self.fields["co_funders"].choices = [(o.pk, o.short_name) for o in bodies]
        self._messages()
        self._helper(
            "name",
            "slug",
            "code",
            Field.textarea("description", rows=4),
            "funder",
            "partner_bodies",
            "co_funders",
            Fieldset("contact_name", "contact_email", legend="Contact", legend_size=Size.MEDIUM),
        )

    def clean(self):
        """Co-funders as `grants.services.co_funder_errors` allows them, shown against the field."""
        data = super().clean()
        if data.get("co_funders") and (
            error := services.co_funder_errors(funder=data.get("funder"), co_funders=data["co_funders"])
        ):
            self.add_error("co_funders", error)
        return data


class RoundForm(GovFormMixin, forms.ModelForm):
    nouns = {
        "name": "the round name",
        "slug": "the web address",
        "reference_prefix": "the bid reference prefix",
        "financial_year": "the financial year",
        "max_partners": "the most partners on a joint bid",
        "eligible_kinds": "types of organisation",
        "eligible_regions": "regions",
        "eligibility_note": "why these councils are invited",
        "prospectus": "the prospectus",
        "contact_name": "the contact name",
        "contact_email": "the contact email address",
    }
    financial_year = forms.IntegerField(
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-4"}),
        help_text="The year the financial year starts, for example 2018 for 2018/19",
        error_messages={
            "invalid": "Financial year must be a year, like 2026",
            "min_value": "Financial year must be between 2000 and 2100",
            "max_value": "Financial year must be between 2000 and 2100",
        },
    )
    budget = MoneyField(label="Budget (£)")
    min_award = MoneyField(label="Minimum award (£)")
    max_award = MoneyField(label="Maximum award (£)")
    match_funding_percent = PercentField(
        label="Match funding required (%)",
        noun="the match funding required, or 0 for none",
        help_text="The least match funding a bid must offer, as a percentage of the amount requested. 0 for none",
    )
    max_partners = forms.IntegerField(
        label="Most partners on a joint bid",
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-3"}),
        error_messages={
            "invalid": "Most partners on a joint bid must be a whole number, like 3",
            "min_value": "Most partners on a joint bid must be 0 or more",
            "max_value": "Most partners on a joint bid must be 100 or fewer",
        },
    )
    opens_at = GovDateTimeField(label="Opens", noun="the date and time the round opens")
    closes_at = GovDateTimeField(label="Closes", noun="the date and time the round closes")
    # Issue 16, two-stage rounds.
    eoi_closes_at = GovDateTimeField(
        label="Expressions of interest close (optional)",
        required=False,
        help_text="Only for a two-stage round: councils send a short expression of interest by this time, and "
        "those you invite send a full bid by the closing time above. Leave empty for a one-stage round",
    )
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
        label="Invited councils (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Three-letter council codes separated by commas or spaces, for example KEN, BIR, LDS. Only "
        "programme staff see the list: the public page says only invited councils can apply, and each council's "
        "officers are told whether their own council is invited",
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
            "eoi_closes_at",
            "closes_at",
            "assessment_deadline",
            "decision_date",
            "allow_early_assessment",
            "prospectus",
            "prospectus_document",
            "england_only",
            "eligibility_note",
            "joint_bids_allowed",
            "max_partners",
            "contact_name",
            "contact_email",
            "published",
        ]
        labels = {
            "name": "Round name",
            "slug": "Web address",
            "reference_prefix": "Bid reference prefix",
            "published": "Publish this round",
            "eligibility_note": "Why these councils are invited (optional)",
            "prospectus_document": "Prospectus document (optional)",
            "contact_name": "Contact name (optional)",
            "contact_email": "Contact email address (optional)",
            "allow_early_assessment": "Allow assessment to start before the round closes",
        }
        help_texts = {
            "contact_name": "For example, Digital Inclusion panel secretary",
            "contact_email": "Shown on the round's page and in emails about it. Leave empty to use the programme's "
            "contact",
            "eligibility_note": "For programme staff only: councils are never shown it",
            "slug": "Used in web addresses, for example cyber-security-phase-2",
            "prospectus_document": "A PDF, DOCX or ODT file",
            "allow_early_assessment": "Otherwise assessors score, and managers decide on, bids only after the round "
            "closes, as councils are told when they submit",
        }
        error_messages = {
            "slug": {"unique": "A round with this web address already exists"},
            "reference_prefix": {
                "unique": "A round with this bid reference prefix already exists",
                "invalid": "Bid reference prefix must be 2 to 10 capital letters or digits, for example BI4",
            },
            "budget": {"min_value": "Budget must be £0 or more"},
            "prospectus_document": {
                "empty": "The prospectus document is empty",
                "invalid": "Select the prospectus document again",
                "max_length": "The prospectus document's name must be 100 characters or fewer",
            },
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["prospectus_document"].widget = forms.FileInput(attrs={"accept": ".pdf,.docx,.odt"})
        if self.instance.prospectus_document:
            current = self.instance.prospectus_document.name.rsplit("/", 1)[-1]
            self.fields["prospectus_document"].help_text = f"A PDF, DOCX or ODT file. Leave empty to keep {current}"
        if self.instance.pk:
            self.initial.setdefault("eligible_kinds", self.instance.eligible_kinds)
            self.initial.setdefault("eligible_regions", self.instance.eligible_regions)
            self.initial.setdefault(
                "eligible_codes",
                ", ".join(self.instance.eligible_organisations.order_by("code").values_list("code", flat=True)),
            )
        self._messages()
        self._helper(
            Fieldset("name", "slug", "reference_prefix", "financial_year", legend="The round", legend_size=Size.MEDIUM),
            Fieldset(
                "budget", "min_award", "max_award", "match_funding_percent", legend="Money", legend_size=Size.MEDIUM
            ),
            Fieldset(
                "opens_at",
                "eoi_closes_at",
                "closes_at",
                "assessment_deadline",
                "decision_date",
                "allow_early_assessment",
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
            Fieldset("contact_name", "contact_email", legend="Contact", legend_size=Size.MEDIUM),
            "published",
        )

    def clean_reference_prefix(self) -> str:
        return (self.cleaned_data.get("reference_prefix") or "").strip().upper()

    def clean_prospectus_document(self):
        upload = self.cleaned_data.get("prospectus_document")
        if not upload or not hasattr(upload, "content_type"):  # nothing new: keep what is there
            return upload
        from grants.core.upload_scan import scan_now
        from grants.core.uploads import check_upload

        try:
            checked = check_upload(upload)
            scan_now(upload)  # a round keeps no scan status: its document is scanned before it is stored
        except ValidationError as exc:
            raise ValidationError(exc.messages[0].replace("The selected file", "The prospectus document"))
        if checked.kind not in PROSPECTUS_KINDS:
            raise ValidationError("The prospectus document must be a PDF, DOCX or ODT file")
        return upload

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
    """A public body other than a council: councils come from the register."""

    submit_label = "Add organisation"
    nouns = {
        "name": "the official name",
        "short_name": "the short name",
        "kind": "the type of organisation",
        "region": "the region",
        "other_identifier": "the identifier",
        "gss_code": "the GSS code",
        "end_date": "the date it closed",
    }
    end_date = GovDateField(
        label="Date it closed (optional)",
        name="The date it closed",
        required=False,
        help_text="Only for a body that no longer exists, for example 31 3 2024",
    )
    aliases = forms.CharField(
        label="Other names (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Former or other names people may search for, one on each line",
    )

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "region", "other_identifier", "gss_code", "end_date"]
        labels = {"name": "Official name", "kind": "Type of organisation", "other_identifier": "Identifier"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.submit_label = "Save changes"
            self.initial.setdefault(
                "aliases", "\n".join(sorted(self.instance.aliases.values_list("name", flat=True), key=str.lower))
            )
        self.fields["kind"].choices = [("", "Select a type")] + [
            (k, OrgKind(k).label) for k in OrgKind.values if k not in COUNCIL_KINDS
        ]
        self.fields["region"] = forms.ChoiceField(
            label="Region", choices=[("", "Not in one region")] + [(r, r) for r in REGIONS], required=False
        )
        self._messages()
        self._helper("name", "short_name", "kind", "region", "other_identifier", "gss_code", "end_date", "aliases")

    def clean_aliases(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data.get("aliases", "").splitlines() if line.strip()]
        too_long = [n for n in names if len(n) > 200]
        if too_long:
            raise ValidationError("Each other name must be 200 characters or fewer")
        return names


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label="Search by name, code or former name", required=False, max_length=100)
