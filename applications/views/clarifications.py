"""Clarification questions on a bid (issue 16): asked by the programme's managers or an assigned
panel member, answered by the lead council, closed by staff. Anyone who may not act gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from grants.core.forms import save_with_form

from .. import permissions as perms
from ..forms import ClarificationAnswerForm, ClarificationAskForm
from ..models import Clarification
from ..services import clarifications as services
from .common import bid_for


@login_required
def clarification_ask(request, pk):
    bid = bid_for(request, pk, perms.can_ask_clarification)
    form = ClarificationAskForm(
        request.POST or None, initial={"reply_by": services.default_reply_by(timezone.localdate())}
    )

    def ask(data):
        services.ask_clarification(bid=bid, actor=request.user, question=data["question"], reply_by=data["reply_by"])
        messages.success(request, "Question sent to the lead council")
        back = request.GET.get("next", "")
        # Back to the page the question was asked from (the assessor's scoring page), if ours.
        if back and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(back)
        return redirect(bid)

    return save_with_form(request, form, ask) or render(
        request,
        "applications/form_page.html",
        {"bid": bid, "round": bid.round, "form": form, "title": "Ask the council a question"},
    )


def _clarification(request, pk, cpk, check):
    bid = bid_for(request, pk, check)
    return bid, get_object_or_404(Clarification.objects.select_related("asked_by"), pk=cpk, bid=bid)


@login_required
def clarification_answer(request, pk, cpk):
    bid, c = _clarification(request, pk, cpk, perms.can_answer_clarification)
    if not c.is_open:
        messages.info(request, "This question is closed")
        return redirect(bid)
    form = ClarificationAnswerForm(request.POST or None)

    def answer(data):
        services.answer_clarification(clarification=c, actor=request.user, answer=data["answer"])
        messages.success(request, "Answer sent")
        return redirect(bid)

    return save_with_form(request, form, answer) or render(
        request,
        "applications/clarification_answer.html",
        {"bid": bid, "clarification": c, "form": form, "title": "Answer the question"},
    )


@login_required
@require_POST
def clarification_close(request, pk, cpk):
    bid, c = _clarification(request, pk, cpk, perms.can_manage_bid)
    if c.is_open:
        services.close_clarification(clarification=c, actor=request.user)
        messages.success(request, "Question closed")
    return redirect(bid)
