"""Forms for assessment pages. Simple ones render through the GOV.UK template pack; the scoring and
moderation forms are built per round from its criteria and rendered by their templates."""

from django import forms

from grants.core.fields import IdChoiceField, MoneyField
from grants.core.forms import gov_helper
from grants.core.layout import Field
from grants.models import Organisation, User

from .models import Criterion, EoiCriterion, EoiOutcome, Outcome, Panel, Scale
from .models.criteria import SCALE_RANGE


class GovForm:
    submit_label = "Save"

    def _helper(self, *layout) -> None:
        self.helper = gov_helper(*layout, submit=self.submit_label)


class PanelSettingsForm(GovForm, forms.ModelForm):
    class Meta:
        model = Panel
        fields = ["assessors_per_bid", "moderation_threshold", "hide_scores_until_submitted"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper(
            Field("assessors_per_bid", css_class="govuk-input--width-3"),
            Field("moderation_threshold", css_class="govuk-input--width-5"),
            "hide_scores_until_submitted",
        )


class PanelMemberForm(GovForm, forms.Form):
    submit_label = "Add to the panel"
    email = forms.EmailField(
        label="Email address",
        help_text="They need an account. Panel members must set up two-factor authentication before they see any bid",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address like name@example.org",
        },
    )
    is_chair = forms.BooleanField(label="Make them the chair", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper(Field("email", css_class="govuk-!-width-two-thirds"), "is_chair")


class CriterionForm(GovForm, forms.ModelForm):
    """Name, guidance, weight and scale, and one descriptor box per possible score (0 to 5)."""

    class Meta:
        model = Criterion
        fields = ["name", "guidance", "weight", "scale", "order"]
        widgets = {"scale": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        existing = (self.instance.descriptors or {}) if self.instance.pk else {}
        names = []
        for score in range(0, 6):
            name = f"descriptor_{score}"
            label = {0: "Score 0 (or fail)", 1: "Score 1 (or pass)"}.get(score, f"Score {score}")
            self.fields[name] = forms.CharField(
                label=f"What {label} means", required=False, initial=existing.get(str(score), ""), max_length=500
            )
            names.append(name)
        self._helper(
            "name",
            Field.textarea("guidance", rows=3),
            Field("weight", css_class="govuk-input--width-3"),
            Field.radios("scale"),
            Field("order", css_class="govuk-input--width-3"),
            *names,
        )

    def clean(self):
        data = super().clean()
        scale = data.get("scale")
        if scale:
            low, high = SCALE_RANGE[Scale(scale)]
            data["descriptors"] = {
                str(s): data.get(f"descriptor_{s}", "").strip()
                for s in range(low, high + 1)
                if data.get(f"descriptor_{s}", "").strip()
            }
        return data

    def service_fields(self) -> dict:
        d = self.cleaned_data
        return {k: d[k] for k in ("name", "guidance", "weight", "scale", "order")} | {
            "descriptors": d.get("descriptors", {})
        }


class InterestForm(GovForm, forms.Form):
    submit_label = "Add this interest"
    organisation = IdChoiceField(
        queryset=Organisation.objects.order_by("short_name"),
        label="Organisation",
        help_text="The council or body you have an interest in",
        empty_label="Choose an organisation",
    )
    nature = forms.CharField(
        label="Nature of the interest",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="For example: I was employed there until 2017; my partner is a councillor",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper("organisation", Field.textarea("nature", rows=3))


class ConflictForm(GovForm, forms.Form):
    submit_label = "Declare a conflict of interest"
    nature = forms.CharField(
        label="Describe the conflict",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        help_text="The bid will be taken off your list at once and the programme manager told",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper(Field.textarea("nature", rows=4))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=300)


class AssignForm(forms.Form):
    """Manual or bulk: one assessor, one or more bids (checkboxes on the assignments table)."""

    assessor = IdChoiceField(queryset=User.objects.none(), label="Assessor", empty_label="Choose an assessor")
    bids = forms.MultipleChoiceField(label="Bids", choices=(), error_messages={"required": "Choose at least one bid"})

    def __init__(self, *args, members=(), bids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = User.objects.filter(pk__in=[m.pk for m in members]).order_by(
            "full_name", "email"
        )
        self.fields["bids"].choices = [(str(b.pk), str(b)) for b in bids]


def criterion_field_names(criterion: Criterion) -> tuple[str, str]:
    return f"score_{criterion.pk}", f"justification_{criterion.pk}"


def scores_from_post(post, criteria: list[Criterion]) -> dict:
    data = {}
    for c in criteria:
        score, text = criterion_field_names(c)
        data[c.pk] = {"score": post.get(score, ""), "justification": post.get(text, "")}
    return data


class DecisionForm(GovForm, forms.Form):
    submit_label = "Save the proposed decision"
    outcome = forms.ChoiceField(
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        label="Decision",
        error_messages={"required": "Choose funded, not funded or reserve"},
    )
    amount = MoneyField(
        label="Amount to fund (£)",
        required=False,
        help_text="Funded only. Leave empty for the amount requested, or enter less for partial funding",
    )
    feedback = forms.CharField(
        label="Feedback for the council", required=False, widget=forms.Textarea(attrs={"rows": 8}), max_length=5000
    )
    gateway_override = forms.CharField(
        label="Reason for funding a bid that failed a gateway criterion",
        help_text="Only if you choose funded. This is kept in the audit trail",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    assessments_override = forms.CharField(
        label="Reason for deciding before every assessment is complete",
        help_text="This is kept in the audit trail and the bid's history",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, gateway_failed: bool = False, short_of_assessments: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        layout = [Field.radios("outcome"), Field("amount", css_class="govuk-input--width-10")]
        if gateway_failed:
            layout.append(Field.textarea("gateway_override", rows=3))
        else:
            del self.fields["gateway_override"]
        if short_of_assessments:
            layout.append(Field.textarea("assessments_override", rows=3))
        else:
            del self.fields["assessments_override"]
        self._helper(*layout, Field.textarea("feedback", rows=8))


class EoiTriageForm(GovForm, forms.Form):
    submit_label = "Save the proposed outcome"
    outcome = forms.ChoiceField(
        choices=EoiOutcome.choices,
        widget=forms.RadioSelect,
        label="Proposed outcome",
        error_messages={"required": "Choose whether to invite the council to a full bid"},
    )
    note = forms.CharField(
        label="Reason or feedback for the council",
        help_text="Required if you do not invite: the council reads it. Optional feedback with an invitation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )

    def __init__(self, *args, criteria=(), **kwargs):
        """One optional score per EOI criterion of the round (0 to its maximum, or not scored)."""
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[eoi_score_field(c)] = forms.TypedChoiceField(
                label=f"{c.name} (0 to {c.max_score})",
                help_text=c.guidance,
                choices=[(str(s), str(s)) for s in c.score_range] + [("", "Not scored")],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": f"Choose a score from 0 to {c.max_score} for {c.name}"},
            )
        scores = [Field.radios(eoi_score_field(c), inline=True) for c in self.criteria]
        self._helper(Field.radios("outcome"), Field.textarea("note", rows=6), *scores)

    def scores(self) -> dict[int, int | None] | None:
        """{criterion id: score or None} for the service; None when the round has no EOI criteria."""
        if not self.criteria:
            return None
        return {c.pk: self.cleaned_data.get(eoi_score_field(c)) for c in self.criteria}


def eoi_score_field(criterion: EoiCriterion) -> str:
    return f"score_{criterion.pk}"


class EoiCriterionForm(GovForm, forms.ModelForm):
    submit_label = "Save the EOI criterion"

    class Meta:
        model = EoiCriterion
        fields = ["name", "guidance", "max_score", "order"]
        labels = {"max_score": "Highest score"}
        error_messages = {
            "name": {"required": "Enter the criterion's name"},
            "max_score": {
                "required": "Enter the highest score, from 1 to 5",
                "invalid": "Enter the highest score as a whole number, from 1 to 5",
                "min_value": "Enter a highest score of at least 1",
                "max_value": "Enter a highest score of 5 or less",
            },
            "order": {"invalid": "Enter the order as a whole number, like 1"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper(
            "name",
            Field.textarea("guidance", rows=3),
            Field("max_score", css_class="govuk-input--width-2"),
            Field("order", css_class="govuk-input--width-3"),
        )
