"""Run a request without keeping its effects: each GET or POST of the walk is rolled back."""

from django.db import transaction


def isolated(client, method: str, url: str, **kwargs):
    with transaction.atomic():
        response = getattr(client, method)(url, **kwargs)
        transaction.set_rollback(True)
    return response


def people(personas) -> dict:
    """The matrix's personas: those of tests/conftest.py, the lead council's signatory and the
    world's extra personas (tests/security/world.py: no council role, conflicted officers)."""
    from .world import extra_personas

    return {**personas.all(), "signatory": personas.signatory, **extra_personas(personas)}


def clients(personas) -> dict:
    """A signed-in test client per persona that reports a 500 as a status rather than raising."""
    from django.test import Client

    out = {}
    for who, user in people(personas).items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        out[who] = client
    return out


def isolated_change(client, method: str, url: str, snapshot, **kwargs):
    """Like isolated(), and also whether the request changed what `snapshot()` reads (compared
    before and after, inside the transaction that is then rolled back)."""
    with transaction.atomic():
        before = snapshot()
        response = getattr(client, method)(url, **kwargs)
        changed = snapshot() != before
        transaction.set_rollback(True)
    return response, changed
