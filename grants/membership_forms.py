"""Forms for joining an organisation: its email domains (staff), a request to join, a decision."""

from django import forms
from django.core.exceptions import ValidationError

from .forms import GovFormMixin
from .membership import domains_clean


class DomainsForm(GovFormMixin, forms.Form):
    submit_label = "Save email domains"
    domains = forms.CharField(
        label="Email domains (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="One on each line, for example kent.gov.uk. Addresses at a subdomain count too. "
        "Someone who confirms an address at one of these asks to join this organisation",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper("domains")

    def clean_domains(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data.get("domains", "").splitlines() if line.strip()]
        cleaned, errors = domains_clean(lines)
        if errors:
            raise ValidationError(errors)
        return cleaned


class JoinSearchForm(forms.Form):
    q = forms.CharField(label="Search for your council by name or three-letter code", required=False, max_length=100)


class DecisionForm(GovFormMixin, forms.Form):
    submit_label = "Save decision"
    nouns = {"decision": "whether to approve the request"}
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("approve", "Approve: they become a council officer"),
            # Issue 17: the section 151 officer or their delegate certifies monitoring returns.
            ("approve_certifier", "Approve as the section 151 officer or delegate, who certifies monitoring returns"),
            ("decline", "Decline"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason (needed to decline)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="We email it to the person",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._messages()
        self._helper("decision", "reason")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", "Enter the reason, which we send to the person")
        return data
