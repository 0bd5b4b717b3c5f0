"""Who may see and resend failed emails: administrators all of them, programme managers those
about their own programmes (the programme recorded on the outbox row). A failed email written
without a programme stays with administrators, since nothing says whose it is."""

from grants.permissions import is_administrator, is_programme_manager, managed_programme_ids


def can_see_failed(user) -> bool:
    return is_administrator(user) or is_programme_manager(user)


def failed_scope(user) -> set[int] | None:
    """The programme ids whose failed emails `user` sees; None for all (administrators)."""
    return None if is_administrator(user) else managed_programme_ids(user)
