"""Internal notes on a bid, an award or a monitoring return: the service, the selector and the form.

The app that owns the target decides who may write (it passes `may_add`) and who may read which
notes (it asks `notes_for` with `panel_only` for the panel); this module only keeps the rules
every target shares: a note has text, is append-only, is audited, and panel visibility is
offered only where the owning app says the panel reads notes (bids).
"""

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from grants.core.audit import audit_record
from grants.core.forms import errors_onto_form
from grants.core.layout import Field, FormHelper, Layout, Size, Submit
from grants.core.words import counted

from .models import Note, NoteVisibility, User

NOTE_MAX_LENGTH = 5000


def notes_for(target: models.Model, *, panel_only: bool = False) -> list[Note]:
    """The target's notes, newest first, with their authors: one query however many notes."""
    notes = Note.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).select_related("author")
    if panel_only:
        notes = notes.filter(visibility=NoteVisibility.PANEL)
    return list(notes)


@transaction.atomic
def add_note(
    *,
    target: models.Model,
    actor: User,
    text: str,
    may_add: bool,
    visibility: str = NoteVisibility.STAFF,
    allow_panel: bool = False,
) -> Note:
    """Write one note. `may_add` is the owning app's permission answer (checked here, so no view
    can forget it); `allow_panel` whether the target has a panel that may read notes at all."""
    if not may_add:
        raise PermissionDenied("You cannot add notes here")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter the note"})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError({"text": f"The note must be {counted(NOTE_MAX_LENGTH, 'character')} or fewer"})
    if visibility not in NoteVisibility.values or (visibility == NoteVisibility.PANEL and not allow_panel):
        raise ValidationError({"visibility": "Choose who can read the note"})
    note = Note.objects.create(target=target, author=actor, text=text, visibility=visibility)
    audit_record(
        actor=actor,
        action="note.add",
        target=note,
        summary=f"Note added to {target._meta.verbose_name} {target.pk}",
        data={"target_type": target._meta.label_lower, "target_id": target.pk, "visibility": visibility},
    )
    return note


class NoteForm(forms.Form):
    """Text and, where a panel reads notes, who may read it. Prefixed so it sits beside another
    form on the same page without their fields' ids clashing."""

    prefix = "note"
    text = forms.CharField(
        label="Add an internal note",
        help_text="Councils never see internal notes",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTE_MAX_LENGTH,
        error_messages={"required": "Enter the note"},
    )
    visibility = forms.ChoiceField(
        label="Who can read it",
        choices=NoteVisibility.choices,
        initial=NoteVisibility.STAFF,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who can read the note"},
    )

    def __init__(self, *args, action: str, allow_panel: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields: list = [Field("text")]
        if allow_panel:
            fields.append(Field("visibility"))
        else:
            del self.fields["visibility"]
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.label_size = Size.MEDIUM
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(*fields, Submit("add_note", "Add note"))

    def visibility_value(self) -> str:
        return self.cleaned_data.get("visibility") or NoteVisibility.STAFF


def note_add_posted(
    request: HttpRequest, *, target: models.Model, done: str, allow_panel: bool = False
) -> NoteForm | HttpResponse:
    """The "Add note" button of any page that shows notes, handled once: the note written and a
    redirect to `done`'s notes, or the form with its errors and the text kept, for the owning view
    to show its page again. That view has already answered 404 to whoever may not add notes."""
    form = NoteForm(request.POST, action=request.path, allow_panel=allow_panel)
    if form.is_valid():
        try:
            add_note(
                target=target,
                actor=request.user,
                text=form.cleaned_data["text"],
                visibility=form.visibility_value(),
                may_add=True,
                allow_panel=allow_panel,
            )
        except ValidationError as exc:
            errors_onto_form(form, exc)
        else:
            messages.success(request, "Note added")
            return redirect(done + "#notes-heading")
    return form
