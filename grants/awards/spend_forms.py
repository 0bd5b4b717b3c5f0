"""Issue 17: the certifier's form. Forms only collect input; services/certification.py decides."""

from django import forms

from .forms import GovForm


class CertifyForm(GovForm):
    submit_label = "Save decision"
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("certify", "Certify the return"), ("send_back", "Send it back to the officer")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose certify or send it back"},
    )
    declaration = forms.BooleanField(
        label="I certify that, to the best of my knowledge, the spend, outputs and commentary in this return "
        "are accurate and that the grant has been spent in line with the conditions of the award",
        required=False,
    )
    reason = forms.CharField(
        label="What the officer needs to change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required to send it back",
    )
    # The fingerprint of what the page showed, so a return changed meanwhile is not certified unseen.
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout("decision", "declaration", "reason", "seen")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "certify" and not data.get("declaration"):
            self.add_error("declaration", "Confirm the declaration to certify the return")
        if data.get("decision") == "send_back" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter what the officer needs to change")
        return data
