"""The home page: each role's work after sign-in; the open rounds for everyone else."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grants.views import round_list

from .home import home_for


def home(request: HttpRequest) -> HttpResponse:
    """Signed in, each role the person holds shows its work, most urgent first. Signed out, or
    with no role yet, the open and upcoming rounds."""
    if not request.user.is_authenticated:
        return round_list(request)
    work = home_for(user=request.user)
    if work.empty:
        return round_list(request, home=work)
    return render(request, "reporting/home.html", {"home": work})
