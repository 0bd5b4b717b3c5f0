"""The API tokens page of a person's account, and the API's documentation page.

Tokens need two-factor authentication: a token reads what its owner reads, so it must not be
easier to get than a signed-in session of someone who has it. The secret is in the one answer to
the POST that made it, never in a redirect, a message or the database."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from grants.permissions import mfa_enabled

from . import docs as api_docs
from .forms import TokenForm
from .models import ApiToken
from .services import create_token, revoke_token


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    if not mfa_enabled(request.user):
        return render(request, "api/tokens_need_mfa.html")
    form = TokenForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        created, secret = create_token(
            user=request.user, name=form.cleaned_data["name"], lifetime=timedelta(days=int(form.cleaned_data["days"]))
        )
        form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "created": created, "secret": secret, "tokens": request.user.api_tokens.all()},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    revoke_token(token=token, by=request.user)
    messages.success(request, f"Token ‘{token.name}’ revoked. Anything using it can no longer read the API.")
    return redirect("api:tokens")


def docs(request: HttpRequest) -> HttpResponse:
    """Public, like the schema: it describes the API, never anyone's data."""
    return render(request, "api/docs.html", api_docs.context())
