"""View guards shared by every app's staff pages."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .permissions import is_staff_user


def role_required(check: Callable) -> Callable:
    """Signed-in users only, then `check(user)` must hold, else 403.

    MFA for staff is enforced earlier by RequireStaffMFAMiddleware.
    """

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = role_required(is_staff_user)
