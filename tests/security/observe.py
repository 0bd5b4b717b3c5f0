"""Run a request without keeping its effects: each GET or POST of the walk is rolled back."""

from django.db import transaction


def isolated(client, method: str, url: str, **kwargs):
    with transaction.atomic():
        response = getattr(client, method)(url, **kwargs)
        transaction.set_rollback(True)
    return response


def clients(personas) -> dict:
    """A signed-in test client per persona that reports a 500 as a status rather than raising."""
    from django.test import Client

    out = {}
    for who, user in personas.all().items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        out[who] = client
    return out
