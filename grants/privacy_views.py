"""Administrators' personal-data pages for one person: a subject-access export and erasure.

Administrators only (grants.permissions.can_manage_people), the people who already manage
accounts: an export holds everything about a person across every programme and council, and an
erasure cannot be undone, so neither belongs to programme managers, whose view is one programme.
Both need a reason, recorded in the audit trail with who did it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from . import erasure
from . import permissions as perms
from .decorators import role_required
from .forms import GovFormMixin
from .models import User
from .subject_access import subject_access_export

admin_required = role_required(perms.can_manage_people)


class ReasonForm(GovFormMixin, forms.Form):
    nouns = {"reason": "the reason"}
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the reference of the subject access request. It is kept in the audit trail",
    )

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.submit_label = submit
        self._messages()
        self._helper("reason")


class EraseForm(ReasonForm):
    nouns = {"reason": "the reason", "confirm": "that you understand erasure cannot be undone"}
    confirm = forms.BooleanField(label="I understand this cannot be undone")
    warning = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].error_messages["required"] = "Confirm that you understand erasure cannot be undone"
        self._helper("reason", "confirm")


def _person(user_pk: int) -> User:
    return get_object_or_404(User.objects.select_related("organisation"), pk=user_pk)


@admin_required
def personal_data_export(request: HttpRequest, user_pk: int) -> HttpResponse:
    person = _person(user_pk)
    form = ReasonForm(request.POST or None, submit="Download their data")
    if request.method == "POST" and form.is_valid():
        name, archive = subject_access_export(actor=request.user, person=person, reason=form.cleaned_data["reason"])
        return FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")
    return render(
        request,
        "grants/personal_data_export.html",
        {"person": person, "form": form, "title": "Export their personal data"},
    )


@admin_required
def person_erase(request: HttpRequest, user_pk: int) -> HttpResponse:
    person = _person(user_pk)
    refusal = erasure.erasure_refusal(actor=request.user, person=person)
    form = EraseForm(request.POST or None, submit="Erase this person")
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            erasure.person_erase(actor=request.user, person=person, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{erasure.erased_name(person)} erased")
            return redirect("grants:staff_user", user_pk=person.pk)
    return render(
        request,
        "grants/person_erase.html",
        {"person": person, "form": form, "refusal": refusal, "title": "Erase this person"},
    )
