"""Issue 17: the certifier's page. The lead council's section 151 officer (or delegate) reads
exactly what they certify (the snapshot the service will store) and certifies it with a
declaration, or sends it back to the officer. Anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from grants.awards.models import MonitoringReturn, ReturnStatus
from grants.core.forms import save_with_form

from . import permissions as perms
from . import services
from .spend_forms import CertifyForm
from .views import award_or_404, posted


@login_required
def return_certify(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    award = award_or_404(request, pk, check=perms.can_certify)
    mreturn = get_object_or_404(
        MonitoringReturn.objects.select_related("period", "submitted_by", "award"), pk=rid, award=award
    )
    back = reverse("awards:return", args=[award.pk, mreturn.pk])
    if mreturn.status != ReturnStatus.TO_CERTIFY and request.method != "POST":
        return redirect(back)
    snapshot = services.certification_snapshot(mreturn)
    form = CertifyForm(posted(request), initial={"seen": services.fingerprint(snapshot)})

    def decide(data: dict) -> HttpResponse:
        if data["decision"] == "certify":
            services.return_certify(
                mreturn=mreturn, actor=request.user, declaration=data["declaration"], seen=data["seen"]
            )
            messages.success(request, f"Return certified: {mreturn.period.title}. It has gone to the programme team")
        else:
            services.return_certification_decline(mreturn=mreturn, actor=request.user, reason=data["reason"])
            messages.success(request, f"Return sent back to the officer: {mreturn.period.title}")
        return redirect(back)

    done = save_with_form(request, form, decide)
    return done or render(
        request,
        "awards/return_certify.html",
        {"award": award, "mreturn": mreturn, "snapshot": snapshot, "form": form, "back": back},
    )
