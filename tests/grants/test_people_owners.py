"""One owner each for a council's officers, its signatories and a programme's managers.

The guard at the end reads the app code and fails, naming file and line, wherever a filter on
`org_role` or the programme manager role is written outside `grants.people_selectors`.
"""

import ast
from pathlib import Path

import pytest

from grants.models import OrgRole, StaffRole
from grants.people_selectors import (
    council_officers,
    council_signatories,
    is_council_officer,
    is_council_signatory,
    programme_manager_roles,
    programme_managers,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
APPS = ("grants", "applications", "scoring", "notifications", "config")
OWNER = Path("grants/people_selectors.py")
# Where roles are defined or set rather than read: the model, and the People pages' service that
# sets a person's council role (the pages' form is a forms module, skipped below).
ROLE_EDITORS = {Path("grants/models/accounts.py"), Path("grants/people.py")}
FILTERS = {"filter", "exclude", "get", "get_or_create", "update_or_create", "Q", "When", "FilteredRelation"}


def _pks(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def test_council_officers_are_the_active_officers_and_signatories_of_those_councils(personas):
    gone = f.UserFactory(organisation=personas.lead_org, org_role=OrgRole.OFFICER, is_active=False)
    got = _pks(council_officers(organisation_ids=[personas.lead_org.pk]))
    assert got == {personas.lead_officer.pk, personas.signatory.pk}
    assert gone.pk not in got
    # Employed by the council but with no council role: acts for the funder, not the council.
    assert personas.conflicted_assessor.organisation_id == personas.lead_org.pk
    assert personas.conflicted_assessor.pk not in got
    both = _pks(council_officers(organisation_ids=[personas.lead_org.pk, personas.partner_org.pk]))
    assert both == {personas.lead_officer.pk, personas.signatory.pk, personas.partner_officer.pk}
    assert personas.other_officer.pk not in both


def test_council_officers_take_a_subquery_of_councils(personas):
    from grants.models import Organisation

    ids = Organisation.objects.filter(pk=personas.other_org.pk).values("pk")
    assert _pks(council_officers(organisation_ids=ids)) == {personas.other_officer.pk}


def test_council_signatories_are_only_the_active_signatories(personas):
    f.UserFactory(organisation=personas.lead_org, org_role=OrgRole.SIGNATORY, is_active=False)
    f.UserFactory(organisation=personas.other_org, org_role=OrgRole.SIGNATORY)
    assert _pks(council_signatories(organisation_ids=[personas.lead_org.pk])) == {personas.signatory.pk}


def test_programme_managers_are_the_active_managers_of_that_programme_only(personas):
    gone = f.UserFactory(is_active=False)
    StaffRole.objects.create(user=gone, role=StaffRole.Role.PROGRAMME_MANAGER, programme=personas.programme)
    both = f.UserFactory()
    for programme in (personas.programme, personas.other_programme):
        StaffRole.objects.create(user=both, role=StaffRole.Role.PROGRAMME_MANAGER, programme=programme)
    managers = programme_managers(programme_id=personas.programme.pk)
    # Global staff roles see every programme but do not manage it; the other programme's manager
    # and the deactivated manager are out; someone managing two programmes appears once.
    assert sorted(u.pk for u in managers) == sorted([personas.programme_manager.pk, both.pk])
    assert _pks(programme_managers(programme_id=personas.other_programme.pk)) == {
        personas.other_programme_manager.pk,
        both.pk,
    }
    # The programme page lists every grant of the role, so a departed manager's can be revoked.
    assert {r.user_id for r in programme_manager_roles(programme_id=personas.programme.pk)} == {
        personas.programme_manager.pk,
        both.pk,
        gone.pk,
    }


def test_one_users_check_agrees_with_the_query_for_every_persona(personas):
    gone = f.UserFactory(organisation=personas.lead_org, org_role=OrgRole.SIGNATORY, is_active=False)
    people = [u for u in personas.all().values() if u] + [personas.signatory, gone]
    for org in (personas.lead_org, personas.partner_org, personas.other_org):
        officers = _pks(council_officers(organisation_ids=[org.pk]))
        signatories = _pks(council_signatories(organisation_ids=[org.pk]))
        for user in people:
            assert is_council_officer(user=user, organisation_id=org.pk) == (user.pk in officers), user
            assert is_council_signatory(user=user, organisation_id=org.pk) == (user.pk in signatories), user


def test_nobody_is_an_officer_of_no_council(personas):
    assert not is_council_officer(user=personas.lead_officer, organisation_id=None)


# -- The guard ------------------------------------------------------------------------------------


def _name(node: ast.AST) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def role_rule_copies(source: str) -> list[int]:
    """Lines of `source` that decide who holds a council or programme manager role themselves."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) in FILTERS:
            for kw in node.keywords:
                if kw.arg and "org_role" in kw.arg.split("__"):
                    lines.append(kw.value.lineno)
                elif _name(kw.value) == "PROGRAMME_MANAGER":
                    lines.append(kw.value.lineno)
        elif isinstance(node, ast.Attribute) and node.attr == "org_role":
            lines.append(node.lineno)  # reading a user's council role to decide something
        elif isinstance(node, ast.Constant) and node.value == "programme_manager":
            lines.append(node.lineno)
    return sorted(set(lines))


def _app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT)
            parts = set(rel.parts)
            if (
                parts & {"migrations", "tests", "bench", "demo"}
                or rel.stem == "demo"
                or rel.stem.startswith("demo_")
                or rel.stem.endswith("forms")
            ):
                continue
            if rel == OWNER or rel in ROLE_EDITORS:
                continue
            yield rel, path.read_text()


def test_no_app_code_decides_who_holds_a_role_outside_the_owner():
    found = [f"{rel}:{line}" for rel, source in _app_modules() for line in role_rule_copies(source)]
    assert not found, (
        "Ask grants.people_selectors (council_officers, council_signatories, programme_managers, "
        "is_council_officer, is_council_signatory) instead of filtering on roles here: " + ", ".join(found)
    )


@pytest.mark.parametrize(
    "copy",
    [
        'User.objects.filter(organisation_id=1, is_active=True).exclude(org_role="")',
        'User.objects.filter(org_role__in=["officer", "signatory"])',
        "Award.objects.filter(lead__members__org_role=OrgRole.SIGNATORY)",
        "ok = user.org_role == OrgRole.SIGNATORY",
        'User.objects.filter(staff_roles__role="programme_manager", staff_roles__programme_id=1)',
        "Q(staff_roles__role=StaffRole.Role.PROGRAMME_MANAGER)",
    ],
)
def test_the_guard_finds_each_spelling_of_a_copy(copy):
    assert role_rule_copies("x = 1\n" + copy + "\n") == [2]


def test_the_guard_leaves_other_code_alone():
    assert role_rule_copies('council_officers(organisation_ids=[1]).filter(email="a@b")\nr == R.ADMINISTRATOR\n') == []
