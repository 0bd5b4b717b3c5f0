"""Answering one section of a bid, and downloading evidence through a permission check."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from grants.core.arrival import arrived_at
from grants.core.uploads import serve_stored, size_label

from .. import permissions as perms
from .. import selectors, services
from ..answers import raw_for_form, word_count
from ..models import EvidenceFile, QuestionType, Section
from .common import after_save, bid_for, error_list, keep_return, returning_to_check


def _typed(post, section) -> dict[int, object]:
    data = {}
    for q in section.questions.all():
        key = f"q_{q.pk}"
        if q.type == QuestionType.MULTIPLE_CHOICE:
            data[q.pk] = post.getlist(key)
        elif q.type == QuestionType.DATE and key not in post:
            data[q.pk] = _date_from_boxes(post, key)
        else:
            data[q.pk] = post.get(key, "")
    return data


# Answers a council typed and posted after its session expired, kept in the new (anonymous)
# session: signing in keeps that session's data (Django cycles its key), so the section page
# can offer them back. Never saved unasked: the council checks them and saves again.
UNSAVED = "unsaved_answers"
UNSAVED_MAX_CHARS = 400_000


def _stash_key(pk, section_pk) -> str:
    return f"{int(pk)}:{int(section_pk)}"


def stash_unsaved(request, pk, section_pk) -> None:
    data = {k: request.POST.getlist(k) for k in request.POST if k.startswith("q_")}
    if not data or sum(len(v) for values in data.values() for v in values) > UNSAVED_MAX_CHARS:
        return
    stash = request.session.get(UNSAVED, {})
    stash[_stash_key(pk, section_pk)] = data
    request.session[UNSAVED] = dict(list(stash.items())[-5:])  # a few sections at most


def take_unsaved(request, bid, section) -> QueryDict | None:
    stash = request.session.get(UNSAVED) or {}
    data = stash.pop(_stash_key(bid.pk, section.pk), None)
    if data is None:
        return None
    request.session[UNSAVED] = stash
    post = QueryDict(mutable=True)
    for key, values in data.items():
        post.setlist(key, [str(v) for v in values])
    return post


def _date_from_boxes(post, key: str) -> str:
    """The GOV.UK date input's day, month and year boxes as 'YYYY-MM-DD' (or what was typed, to fail)."""
    day, month, year = (post.get(f"{key}-{part}", "").strip() for part in ("day", "month", "year"))
    if not (day or month or year):
        return ""
    if day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return f"{year}-{month}-{day}"


def _date_parts(value) -> dict[str, str]:
    parts = str(value or "").split("-")
    if len(parts) != 3:
        return {"day": "", "month": "", "year": ""}
    year, month, day = parts
    return {"day": day.lstrip("0") or day, "month": month.lstrip("0") or month, "year": year}


def bid_section(request, pk, section_pk):
    """Save and continue stores this section whatever state the others are in. A refusal shows
    the error summary and puts back exactly what was typed; nothing saved earlier is lost.

    Signed out (the session expired while the council typed), a POST is kept and offered back
    after signing in, rather than lost with the redirect to the sign-in page.
    """
    if not request.user.is_authenticated:
        if request.method == "POST":
            stash_unsaved(request, pk, section_pk)
        return redirect_to_login(request.get_full_path())
    bid = bid_for(request, pk, perms.can_edit_bid)
    section = get_object_or_404(Section.objects.prefetch_related("questions"), pk=section_pk, round=bid.round)
    if not selectors.section_asked(bid=bid, section=section):
        raise Http404
    if not selectors.section_editable(bid=bid, section=section):
        messages.info(request, f"{section.title} was sent with your expression of interest and cannot be changed.")
        return redirect("applications:bid_detail", bid.pk)
    page = selectors.section_page(bid=bid, section=section)
    errors: list[tuple[str, str]] = []
    typed = {r.question.pk: raw_for_form(r.question, r.value) for r in page}
    restored = take_unsaved(request, bid, section) if request.method == "GET" else None
    if restored is not None:
        typed = _typed(restored, section)
        page = selectors.section_page(bid=bid, section=section, typed=typed)
    if request.method == "POST":
        typed = _typed(request.POST, section)
        try:
            services.save_section_answers(
                bid=bid, actor=request.user, section=section, data=typed, now=arrived_at(request)
            )
        except ValidationError as exc:
            errors += error_list(exc)
        for q in section.questions.all():
            upload = request.FILES.get(f"file_{q.pk}")
            if q.type == QuestionType.FILE_UPLOAD and upload:
                try:
                    services.upload_evidence(
                        bid=bid, actor=request.user, upload=upload, question=q, now=arrived_at(request)
                    )
                except ValidationError as exc:
                    errors += [(f"file_{q.pk}", m) for m in exc.messages]
        if not errors:
            if request.POST.get("action") == "upload":
                messages.success(request, "File uploaded")
                return redirect(keep_return(request, reverse("applications:bid_section", args=[bid.pk, section.pk])))
            shown_before = {r.question.pk for r in page if not r.hidden}
            now_shown = [r for r in selectors.section_page(bid=bid, section=section) if not r.hidden]
            if any(r.question.pk not in shown_before and not r.answered for r in now_shown):
                # An answer on this page calls for a question on it that is still unanswered (the
                # page had it hidden, or no script revealed it): stay, so the council sees it.
                messages.success(request, f"{section.title} saved. Your answers mean more questions apply: see below")
                return redirect(keep_return(request, reverse("applications:bid_section", args=[bid.pk, section.pk])))
            messages.success(request, f"{section.title} saved")
            return after_save(request, bid)
        page = selectors.section_page(bid=bid, section=section, typed=typed)
    error_for = dict(errors)
    rows = [
        {
            "question": r.question,
            "value": typed.get(r.question.pk, ""),
            "files": r.files,
            "error": error_for.get(f"q_{r.question.pk}") or error_for.get(f"file_{r.question.pk}"),
            "words": word_count(typed.get(r.question.pk) or "") if r.question.type == QuestionType.LONG_TEXT else None,
            "date": _date_parts(typed.get(r.question.pk)) if r.question.type == QuestionType.DATE else None,
            "controlled_by": r.controlled_by,
            "hidden": r.hidden,
            "show_if_values": r.show_if_values_json,
        }
        for r in page
    ]
    return render(
        request,
        "applications/section.html",
        {
            "bid": bid,
            "section": section,
            "rows": rows,
            "errors": errors,
            "max_mb": _max_mb(),
            "from_check": returning_to_check(request),
            "restored": restored is not None,
        },
    )


def _max_mb() -> str:
    return size_label(settings.UPLOAD_MAX_BYTES)


@login_required
def evidence_download(request, pk, file_pk):
    """The only way to a file: the user must be able to read the bid's answers (a council asked to
    partner on it too, `can_read_answers`), the file must be the bid's, and the virus check must
    have passed it."""
    bid = bid_for(request, pk, perms.can_read_answers)
    evidence = get_object_or_404(EvidenceFile, pk=file_pk, bid=bid)
    return serve_stored(request, evidence)
