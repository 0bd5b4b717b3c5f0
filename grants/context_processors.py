from django.conf import settings

from . import permissions
from .people_selectors import acting_council_id


def service(request):
    """The service name and the roles the header's menu is built from: each person sees only the
    items their roles may use ("Your bids" only for someone acting for a council)."""
    # Error pages raised by early middleware may come before AuthenticationMiddleware set a user.
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    common = {
        "service_name": settings.GRANTBENCH_SERVICE_NAME,
        # The phase banner's feedback link and the reply time promised beside every contact.
        "feedback_url": settings.GRANTBENCH_FEEDBACK_URL,
        "response_days": settings.GRANTBENCH_RESPONSE_DAYS,
    }
    if not signed_in:
        return {**common, "is_staff_user": False, "is_panel_member": False}
    return {
        **common,
        "is_staff_user": permissions.is_staff_user(user),
        "is_panel_member": permissions.is_panel_member(user),
        "acts_for_council": acting_council_id(user) is not None,
        "runs_programmes": permissions.is_programme_manager(user) or permissions.is_administrator(user),
        "sees_portfolio": permissions.has_global_staff_view(user) or permissions.is_programme_manager(user),
    }
