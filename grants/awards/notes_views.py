"""Internal notes and the contact log on the staff's award and return pages (issue 16).

Only programme staff reach any of this: councils' award pages get no notes in their context, and
every view here answers 404 to whoever may not read the award's notes.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grants.awards.models import Award, ContactLogEntry, MonitoringReturn
from grants.core.downloads import query_with
from grants.models import Round
from grants.notes import NoteForm, note_add_posted, notes_for
from grants.permissions import get_or_404
from grants.selectors import programmes_for_user

from . import forms, selectors, services, views
from . import permissions as perms

FOLLOW_UPS_PAGE_SIZE = 50


def notes_context(user, award: Award, target=None, form: NoteForm | None = None, action: str = "") -> dict:
    """What templates/includes/notes.html reads, for programme staff; nothing for councils.
    `target` is the award or one of its returns; panel visibility means nothing here."""
    if not perms.can_read_notes(user, award):
        return {}
    target = target or award
    if form is None and perms.can_add_note(user, award):
        form = NoteForm(action=action)
    return {"show_notes": True, "notes": notes_for(target), "note_form": form}


def contacts_context(user, award: Award) -> dict:
    """The contact log, newest first, with who logged each entry (one query), for programme staff."""
    if not perms.can_read_notes(user, award):
        return {}
    return {
        "show_contacts": True,
        "contacts": list(award.contacts.select_related("logged_by")),
        "can_log_contact": perms.can_log_contact(user, award),
    }


@login_required
@require_POST
def award_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    award = views.award_or_404(request, pk, check=perms.can_add_note)
    result = note_add_posted(request, target=award, done=award.get_absolute_url())
    if isinstance(result, HttpResponse):
        return result
    return views.detail(request, pk, note_form=result)


@login_required
@require_POST
def return_note_add(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    award = views.award_or_404(request, pk, check=perms.can_add_note)
    mreturn = get_object_or_404(MonitoringReturn, pk=rid, award=award)
    result = note_add_posted(request, target=mreturn, done=reverse("awards:return", args=[award.pk, mreturn.pk]))
    if isinstance(result, HttpResponse):
        return result
    return views.return_detail(request, pk, rid, note_form=result)


@login_required
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a monitoring call or meeting; bad input comes back with its errors and nothing lost."""
    award = views.award_or_404(request, pk, check=perms.can_log_contact)
    form = forms.ContactLogForm(views.posted(request))
    done = views.save_form(
        request,
        form,
        lambda data: services.contact_log(award=award, actor=request.user, **data),
        success="Contact logged",
        to=reverse("awards:detail", args=[award.pk]) + "#contacts-heading",
    )
    return done or views.form_page(request, award=award, form=form, title="Log a call or meeting")


@login_required
@require_POST
def contact_followed_up(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    """The "Mark follow-up as done" button beside a contact log entry (issue 17)."""
    award = views.award_or_404(request, pk, check=perms.can_log_contact)
    entry = get_object_or_404(ContactLogEntry, pk=cid, award=award)
    views.act(
        request,
        lambda: services.contact_followed_up(entry=entry, actor=request.user),
        success="Follow-up recorded as done",
    )
    return redirect(reverse("awards:detail", args=[award.pk]) + f"#contact-{entry.pk}")


@login_required
def follow_ups(request: HttpRequest) -> HttpResponse:
    """Follow-ups due (the home page's count links here, a round at a time): contacts whose
    follow-up date has come and that nobody has marked done, oldest first. Each links to its
    award's contact log, where the programme's managers mark it done."""
    user = request.user
    get_or_404(perms.can_view_portfolio(user))
    round_slug = str(request.GET.get("round", ""))[:100]
    # Named in the caption only when it is one of the rounds this person's portfolio covers.
    rnd = (
        Round.objects.filter(slug=round_slug, programme__in=programmes_for_user(user=user)).first()
        if round_slug
        else None
    )
    due = selectors.follow_ups_for(user=user, today=timezone.localdate(), round_slug=round_slug)
    page = Paginator(due, FOLLOW_UPS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "awards/follow_ups.html",
        {"page": page, "round": rnd, "query": query_with(request), "today": timezone.localdate()},
    )
