import pytest
from django.apps import apps
from django.core.management import call_command

from grants.models import Programme, Round, StaffRole, User

# The module's seed (`demo_once`, seeded once for the module) is the first run; a test that checks
# seeding twice runs it again itself.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {"grants", "awards", "reporting", "applications", "scoring", "notifications", "account", "mfa"}
        and m._meta.label != "grants.AuditEvent"
    }


def test_seed_demo_twice_gives_the_same_data():
    first = _counts()
    assert first["grants.Programme"] and first["applications.Bid"]  # the module's seed ran
    call_command("seed_demo")
    assert _counts() == first
    assert set(Programme.objects.values_list("slug", flat=True)) >= {
        "behavioural-insights",
        "digital",
        "cyber-security",
        "one-public-estate",
        "productivity-experts",
    }
    names = set(Round.objects.values_list("name", flat=True))
    for expected in [
        "Behavioural Insights phase 1",
        "Behavioural Insights phase 4, 2018/19",
        "Digital Channel Shift",
        "Cyber Security phase 1",
        "One Public Estate phase 7",
    ]:
        assert expected in names
    assert Round.objects.get(name__startswith="Digital Inclusion").is_open
    cyber = Round.objects.get(slug="cyber-phase-1")
    assert cyber.eligible_organisations.count() == 116
    roles = set(StaffRole.objects.values_list("role", flat=True))
    assert roles == {"programme_manager", "finance_officer", "board_viewer", "administrator"}
    assert User.objects.get(email="council.officer@kent.example.com").organisation.code == "KEN"
    assert User.objects.get(email="panel.chair@lga.example.com").panel_memberships.filter(is_chair=True).exists()


def test_demo_programmes_name_their_own_contact():
    """Round pages and emails in the demo name the programme's team, not only the service-wide
    default."""
    from grants.contacts import contact_for
    from grants.models import Round

    rnd = Round.objects.filter(published=True).select_related("programme").first()
    assert contact_for(round=rnd).email == f"{rnd.programme.slug}@lga.example.com"
