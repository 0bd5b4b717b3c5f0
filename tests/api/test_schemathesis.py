"""Schemathesis against /api/v1/openapi.json, through the WSGI app: every operation, with a valid
token of a programme manager in a small world, answers no 5xx and nothing outside its schema.

Valid and invalid inputs both (ids past 64 bits, naive or impossible times, page sizes out of
range): each must be a documented 4xx, never a server error. A few examples an operation keep it
well under a minute; `examples` is printed (pytest -s) for the record."""

import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.openapi import from_wsgi
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application
from tests.security.world import build_world

from .conftest import token_for

pytestmark = pytest.mark.django_db(transaction=False)
EXAMPLES = 6


@pytest.fixture
def connection_kept():
    """The WSGI app is called directly, not through Django's test client, so keep the test's
    connection open across requests as the client does (request_started and request_finished
    would close it: inside the test's transaction it looks unusable, on PostgreSQL at least)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_keeps_to_its_schema(personas, settings, connection_kept):
    settings.API_RATE_LIMIT = "100000/m"  # every answer checked is a real one, not a 429
    build_world(personas)
    secret = token_for(personas.programme_manager)
    schema = from_wsgi("/api/v1/openapi.json", application)
    operations, examples = 0, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @hypothesis_settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                nonlocal examples
                examples += 1
                case.call_and_validate(
                    headers={"Authorization": f"Bearer {secret}"},
                    checks=[not_a_server_error, response_schema_conformance],
                )

            run()
    print(f"schemathesis: {operations} operations, {examples} examples")
    assert operations == 13
    assert examples >= operations * 2
