"""Forms for the administrators' people pages: who works where, and who holds which staff role."""

from django import forms
from django.core.exceptions import ValidationError

from grants.core.fields import IdMultipleChoiceField

from .forms import GovFormMixin
from .models import Organisation, OrgRole, Programme, StaffRole, User
from .selectors import organisation_search

R = StaffRole.Role
GLOBAL_ROLES = [(r.value, r.label) for r in (R.FINANCE_OFFICER, R.BOARD_VIEWER, R.ADMINISTRATOR)]


class UserSearchForm(forms.Form):
    q = forms.CharField(label="Search by name or email address", required=False, max_length=100)


class UserForm(GovFormMixin, forms.Form):
    """One person's organisation, role in it and staff roles, on one page."""

    submit_label = "Save changes"
    nouns = {
        "full_name": "their full name",
        "organisation": "the organisation",
        "org_role": "their role",
        "managed_programmes": "programmes",
        "global_roles": "roles",
    }
    full_name = forms.CharField(label="Full name", max_length=150, required=False)
    organisation = forms.CharField(
        label="Organisation (optional)",
        required=False,
        max_length=200,
        help_text="A council's three-letter code (for example KEN) or an organisation's name. "
        "Leave empty for someone who works for the funder",
    )
    org_role = forms.ChoiceField(
        label="Role in the organisation",
        choices=[("", "None")] + list(OrgRole.choices),
        required=False,
        widget=forms.RadioSelect,
        help_text="Council officers prepare bids; authorised signatories also accept award offers",
    )
    managed_programmes = IdMultipleChoiceField(
        label="Programme manager of",
        queryset=Programme.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    global_roles = forms.MultipleChoiceField(
        label="Other staff roles",
        choices=GLOBAL_ROLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Panel membership is set on each round's panel page",
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        roles = list(user.staff_roles.all())
        self.initial.update(
            {
                "full_name": user.full_name,
                "organisation": (user.organisation.code or user.organisation.name) if user.organisation else "",
                "org_role": user.org_role,
                "managed_programmes": [r.programme_id for r in roles if r.role == R.PROGRAMME_MANAGER],
                "global_roles": [r.role for r in roles if r.role != R.PROGRAMME_MANAGER],
            }
        )
        self.fields["managed_programmes"].label_from_instance = lambda p: p.name
        self._messages()
        self._helper("full_name", "organisation", "org_role", "managed_programmes", "global_roles")

    def clean_organisation(self) -> Organisation | None:
        text = self.cleaned_data.get("organisation", "").strip()
        if not text:
            return None
        exact = [
            o
            for o in organisation_search(query=text, limit=50)
            if text.lower() in ((o.code or "").lower(), o.name.lower(), o.short_name.lower())
        ]
        if not exact:
            raise ValidationError(f"No organisation has the code or name ‘{text}’: check it and try again")
        current = [o for o in exact if o.end_date is None] or exact
        if len(current) > 1:
            raise ValidationError(f"More than one organisation is called ‘{text}’: enter its three-letter code")
        return current[0]

    def clean(self):
        data = super().clean()
        if data.get("org_role") and not data.get("organisation") and "organisation" not in self.errors:
            self.add_error("organisation", "Enter the organisation this person works for, or choose no role")
        return data


class ManagerAddForm(GovFormMixin, forms.Form):
    submit_label = "Add programme manager"
    nouns = {"email": "the email address of the person to add"}
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="They must already have an account",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._messages()
        self._helper("email")

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError("No one with an account has this email address")
        return user
