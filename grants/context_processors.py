from django.conf import settings

from . import permissions


def service(request):
    # Error pages raised by early middleware may come before AuthenticationMiddleware set a user.
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "service_name": settings.GRANTBENCH_SERVICE_NAME,
        # The phase banner's feedback link and the reply time promised beside every contact.
        "feedback_url": settings.GRANTBENCH_FEEDBACK_URL,
        "response_days": settings.GRANTBENCH_RESPONSE_DAYS,
        "is_staff_user": permissions.is_staff_user(user) if signed_in else False,
        "is_panel_member": permissions.is_panel_member(user) if signed_in else False,
    }
