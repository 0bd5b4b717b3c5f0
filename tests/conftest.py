"""Personas built once, shared by every app's tests.

`personas` gives one user per role around one open round ("this round") whose programme
the programme manager runs. Staff and panel personas have TOTP set up, as the service requires.
"""

import os
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings as django_settings
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings

from grants.models import Organisation, OrgKind, OrgRole, Programme, Round, StaffRole, User

from . import factories as f

# Property and fuzz tests draw the same examples on every run (derandomize), so CI passes or fails
# on the code, not on the dice; `HYPOTHESIS_PROFILE=explore make test` searches further and at
# random before a release, and what it finds becomes a fixed example.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", max_examples=300, database=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# `make test` runs the suite on pytest-xdist workers (pyproject addopts), each in its own process
# with its own test database. On Redis (CI's second pass) the cache would still be shared, and
# every test's cache.clear() below would wipe the rate-limit counters another worker's test is
# counting: each worker gets its own key prefix (PrefixedRedisCache clears "<prefix>:*" only).
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _XDIST_WORKER and django_settings.CACHES["default"].get("KEY_PREFIX"):
    django_settings.CACHES["default"]["KEY_PREFIX"] += f"-{_XDIST_WORKER}"


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Fast hashing, email kept in memory, local files in a temporary folder unless S3 is under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A session is renewed at most once a minute (grants/core/sessions.py): an hour here, so a
    # slow test's pages never differ by a renewal in their query counts; tests/grants/
    # test_session_renewal.py sets the real minute.
    settings.SESSION_RENEW_SECONDS = 3600
    if not settings.AWS_STORAGE_BUCKET_NAME:
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(tmp_path / "media")},
            },
        }
    cache.clear()


@pytest.fixture
def data_cache_off(settings):
    """Every page computes its figures afresh (grants.core.datacache), for the tests that count
    what computing a page costs: with the cache on, a repeated view costs a few queries whatever
    the size, which would hide a count that grows."""
    settings.DATA_CACHE = False


def enable_mfa(user: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@dataclass
class Personas:
    round: Round
    programme: Programme
    other_programme: Programme
    lead_org: Organisation
    partner_org: Organisation
    other_org: Organisation
    lead_officer: User
    signatory: User
    partner_officer: User
    other_officer: User
    assessor: User
    conflicted_assessor: User
    panel_chair: User
    programme_manager: User
    other_programme_manager: User
    finance_officer: User
    board_viewer: User
    administrator: User

    def all(self) -> dict[str, User | None]:
        return {
            "anonymous": None,
            "lead_officer": self.lead_officer,
            "partner_officer": self.partner_officer,
            "other_officer": self.other_officer,
            "assessor": self.assessor,
            "conflicted_assessor": self.conflicted_assessor,
            "panel_chair": self.panel_chair,
            "programme_manager": self.programme_manager,
            "other_programme_manager": self.other_programme_manager,
            "finance_officer": self.finance_officer,
            "board_viewer": self.board_viewer,
            "administrator": self.administrator,
        }


def _staff(role: str, programme: Programme | None = None, **kwargs) -> User:
    user = f.UserFactory(**kwargs)
    StaffRole.objects.create(user=user, role=role, programme=programme)
    enable_mfa(user)
    return user


@pytest.fixture
def personas(db) -> Personas:
    lead_org = f.OrganisationFactory(name="Kent County Council", short_name="Kent", code="KEX", kind=OrgKind.COUNTY)
    partner_org = f.OrganisationFactory(name="Medway Council", short_name="Medway", code="MDX", kind=OrgKind.UNITARY)
    other_org = f.OrganisationFactory(
        name="Leeds City Council",
        short_name="Leeds",
        code="LDX",
        kind=OrgKind.METROPOLITAN,
        region="Yorkshire and The Humber",
    )
    assessor_org = f.FunderFactory(name="Assessors Ltd", short_name="Assessors")
    rnd = f.RoundFactory(name="Digital Inclusion test round", slug="this-round", reference_prefix="THIS")
    other_programme = f.ProgrammeFactory(name="Other programme", slug="other-programme")
    panel = f.PanelFactory(round=rnd)
    assessor = f.UserFactory(email="assessor@example.com", organisation=assessor_org)
    conflicted = f.UserFactory(email="conflicted@example.com", organisation=lead_org)
    chair = f.UserFactory(email="chair@example.com", organisation=assessor_org)
    for user, is_chair in ((assessor, False), (conflicted, False), (chair, True)):
        f.PanelMemberFactory(panel=panel, user=user, is_chair=is_chair)
        enable_mfa(user)
    return Personas(
        round=rnd,
        programme=rnd.programme,
        other_programme=other_programme,
        lead_org=lead_org,
        partner_org=partner_org,
        other_org=other_org,
        lead_officer=f.UserFactory(email="lead@example.com", organisation=lead_org, org_role=OrgRole.OFFICER),
        signatory=f.UserFactory(email="signatory@example.com", organisation=lead_org, org_role=OrgRole.SIGNATORY),
        partner_officer=f.UserFactory(email="partner@example.com", organisation=partner_org, org_role=OrgRole.OFFICER),
        other_officer=f.UserFactory(email="other@example.com", organisation=other_org, org_role=OrgRole.OFFICER),
        assessor=assessor,
        conflicted_assessor=conflicted,
        panel_chair=chair,
        programme_manager=_staff("programme_manager", rnd.programme, email="pm@example.com"),
        other_programme_manager=_staff("programme_manager", other_programme, email="otherpm@example.com"),
        finance_officer=_staff("finance_officer", email="finance@example.com"),
        board_viewer=_staff("board_viewer", email="board@example.com"),
        administrator=_staff("administrator", email="admin@example.com"),
    )


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user (None for anonymous)."""
    from django.test import Client

    def make(user: User | None) -> Client:
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Tasks run in-process in tests, even when CELERY_BROKER_URL is set, except integration tests."""
    from config.celery import app

    if request.node.get_closest_marker("integration"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = previous


def _local_storages(location) -> dict:
    return {
        **django_settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }


@contextmanager
def seeded_for_module(django_db_blocker, media, seed):
    """Run `seed()` once and keep what it wrote for a whole module of tests: the rows are left
    open in a transaction of the module's own, every test runs in a savepoint inside it
    (pytest-django's `db`), rolled back after the test, so each test meets the data exactly as
    seeded, whatever the one before it changed; the module's transaction is rolled back once its
    last test is done. Yields what `seed()` returned.

    Seeding runs with the settings `_fast_and_isolated` gives each test (files in `media` unless
    S3 is under test), and tasks eager. Only for modules whose every database test uses the seed
    (a test that did not ask for it would still see it), and that look at no email the seed
    sends (those are sent once, before any test)."""
    from django.db import transaction
    from django.test.utils import override_settings

    from config.celery import app

    local = {} if django_settings.AWS_STORAGE_BUCKET_NAME else {"STORAGES": _local_storages(media)}
    eager = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    with (
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            **local,
        ),
        django_db_blocker.unblock(),
    ):
        seeded = transaction.atomic()
        seeded.__enter__()
        try:
            result = seed()
        except BaseException:
            transaction.set_rollback(True)
            seeded.__exit__(None, None, None)
            raise
        finally:
            app.conf.task_always_eager, app.conf.task_eager_propagates = eager
    try:
        yield result
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            seeded.__exit__(None, None, None)


@pytest.fixture(scope="module")
def demo_seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo run once for a whole module of tests that read the demo (seeding takes seconds,
    and was most of each such test's time): see `seeded_for_module`. Yields the folder the seed's
    files are in."""
    import io

    from django.core.management import call_command

    media = tmp_path_factory.mktemp("demo-media")
    with seeded_for_module(django_db_blocker, media, lambda: call_command("seed_demo", stdout=io.StringIO())):
        yield media


@pytest.fixture
def demo_once(demo_seeded_once, db, settings):
    """The demo from `demo_seeded_once`, with this test's file storage where the seed wrote."""
    if not settings.AWS_STORAGE_BUCKET_NAME:
        settings.STORAGES = _local_storages(demo_seeded_once)


def _transactional(item: pytest.Item) -> bool:
    """pytest-django's own test: the test flushes the database when it ends."""
    marker = item.get_closest_marker("django_db")
    flagged = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    names = getattr(item, "fixturenames", ())
    return bool(flagged or "transactional_db" in names or "live_server" in names)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """How `make test` shares the suite between its xdist workers (`--dist loadgroup`, Makefile).

    Each test is handed to whichever worker is free, one at a time, in pytest-django's order
    (database tests, then the transactional ones that flush the councils, then the rest), so the
    long browser journeys no longer go to one worker in a single chunk while the other finishes.
    A module whose tests share a module-scoped fixture (`demo_once` and its kind: a seed held open
    for the module) is one group, run whole on one worker, so it is seeded once, not once per worker;
    xdist starts the largest groups first. Transactional tests are never grouped: a group runs
    where its first test stands, and one that flushed there would empty the councils under the
    database tests after it. Browser journeys (the longest tests) go first among the transactional
    ones (this runs before pytest-django's sort, which keeps the order within each kind), so the
    last tests handed out are short ones."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None or _transactional(item):
            continue
        shared = any(d.scope == "module" for defs in info.name2fixturedefs.values() for d in defs)
        if shared:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
