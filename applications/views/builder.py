"""The question builder: programme managers shape a round's form from sections and questions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from grants import permissions as gperms
from grants.core.forms import save_with_form
from grants.core.words import counted
from grants.models import Round

from .. import builder, selectors
from ..answers import CONDITION_TYPES
from ..forms import CopyQuestionsForm, QuestionForm, SectionForm
from ..models import Question, Section
from .staff import staff_round


@login_required
def staff_questions(request, slug):
    round = staff_round(request, slug, manage=True)
    copy_form = CopyQuestionsForm(request.POST or None, rounds=_copy_sources(request.user, round))

    def copy(data):
        n = builder.copy_questions(source=data["source"], target=round, actor=request.user)
        messages.success(request, f"{counted(n, 'question')} copied")
        return redirect("applications:staff_questions", slug=round.slug)

    return save_with_form(request, copy_form, copy) or render(
        request,
        "applications/staff_questions.html",
        {
            "round": round,
            "sections": selectors.round_sections(round=round),
            "locked": selectors.questions_locked(round=round),
            "copy_form": copy_form,
        },
    )


def _copy_sources(user, round: Round):
    """Rounds with questions in programmes this manager may see: never another programme's form."""
    rounds = Round.objects.filter(sections__isnull=False).exclude(pk=round.pk)
    if not gperms.has_global_staff_view(user):
        rounds = rounds.filter(programme_id__in=gperms.managed_programme_ids(user))
    return rounds.distinct().order_by("-opens_at")


@login_required
def staff_section_edit(request, slug, section_pk=None):
    round = staff_round(request, slug, manage=True)
    section = get_object_or_404(Section, pk=section_pk, round=round) if section_pk else None
    form = SectionForm(request.POST or None, instance=section, two_stage=round.two_stage)

    def save(cleaned):
        builder.save_section(round=round, actor=request.user, section=section, **cleaned)
        messages.success(request, "Section saved")
        return redirect("applications:staff_questions", slug=round.slug)

    title = "Edit section" if section else "Add a section"
    return save_with_form(request, form, save) or render(
        request, "applications/staff_form.html", {"round": round, "form": form, "title": title}
    )


@login_required
def staff_question_edit(request, slug, section_pk, question_pk=None):
    round = staff_round(request, slug, manage=True)
    section = get_object_or_404(Section, pk=section_pk, round=round)
    question = get_object_or_404(Question, pk=question_pk, section=section) if question_pk else None
    controllers = [q for q in selectors.round_questions(round_id=round.pk) if q.type in CONDITION_TYPES]
    form = QuestionForm(request.POST or None, instance=question, controllers=controllers)

    def save(cleaned):
        data = {k: cleaned[k] for k in ("text", "hint", "type", "required", "word_limit", "order", "choices")}
        if "show_if" in form.fields:
            data["show_if_question_id"] = cleaned["show_if_question"]
            data["show_if_values"] = cleaned["show_if_values"]
        if question is not None:
            question.refresh_from_db()  # the ModelForm changed the instance in memory
        builder.save_question(section=section, actor=request.user, question=question, **data)
        messages.success(request, "Question saved")
        return redirect("applications:staff_questions", slug=round.slug)

    title = "Edit question" if question else f"Add a question to {section.title}"
    return save_with_form(request, form, save) or render(
        request, "applications/staff_form.html", {"round": round, "form": form, "title": title}
    )


@login_required
def staff_delete(request, slug, kind, pk):
    """GET asks "Are you sure?", counting the draft answers that would be lost; POST deletes."""
    round = staff_round(request, slug, manage=True)
    if kind == "section":
        target = get_object_or_404(Section, pk=pk, round=round)
        questions = Question.objects.filter(section=target)
    elif kind == "question":
        target = get_object_or_404(Question.objects.select_related("section"), pk=pk, section__round=round)
        questions = Question.objects.filter(pk=target.pk)
    else:
        raise Http404
    if request.method == "POST":
        try:
            if kind == "section":
                builder.delete_section(section=target, actor=request.user)
            else:
                builder.delete_question(question=target, actor=request.user)
            messages.success(request, f"The {kind} has been deleted")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("applications:staff_questions", slug=round.slug)
    answers, files = builder.deletion_cost(questions=questions)
    context = {
        "round": round,
        "kind": kind,
        "target": target,
        "question_count": questions.count(),
        "answers": answers,
        "files": files,
        "locked": selectors.questions_locked(round=round),
    }
    return render(request, "applications/staff_delete.html", context)
