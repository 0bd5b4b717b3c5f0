from django.conf import settings

from . import permissions


def service(request):
    user = request.user
    return {
        "service_name": settings.GRANTBENCH_SERVICE_NAME,
        "is_staff_user": permissions.is_staff_user(user) if user.is_authenticated else False,
        "is_panel_member": permissions.is_panel_member(user) if user.is_authenticated else False,
    }
