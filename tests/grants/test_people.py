"""Administrators give people their organisation, their role there and staff roles, on GOV.UK
pages, each change audited; the Django admin cannot change them behind the services' back."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants.models import AuditEvent, OrgRole, Programme, StaffRole
from grants.people import staff_role_grant, staff_role_revoke, user_update
from tests import factories as f

R = StaffRole.Role


def _roles(user) -> set[tuple[str, int | None]]:
    return set(StaffRole.objects.filter(user=user).values_list("role", "programme_id"))


def _user_post(**overrides) -> dict:
    data = {
        "full_name": "Pat Example",
        "organisation": "",
        "org_role": "",
        "managed_programmes": [],
        "global_roles": [],
    }
    data.update(overrides)
    return data


class TestUserPage:
    def test_administrator_sets_organisation_role_and_staff_roles(self, personas, client_for):
        person = f.UserFactory(email="pat@example.com")
        url = reverse("grants:staff_user", args=[person.pk])
        response = client_for(personas.administrator).post(
            url,
            _user_post(
                organisation="kex",
                org_role=OrgRole.SIGNATORY,
                managed_programmes=[personas.programme.pk, personas.other_programme.pk],
                global_roles=[R.FINANCE_OFFICER],
            ),
        )
        assert response.status_code == 302, response.text[:3000]
        person.refresh_from_db()
        assert (person.organisation, person.org_role, person.full_name) == (
            personas.lead_org,
            OrgRole.SIGNATORY,
            "Pat Example",
        )
        assert _roles(person) == {
            (R.PROGRAMME_MANAGER, personas.programme.pk),
            (R.PROGRAMME_MANAGER, personas.other_programme.pk),
            (R.FINANCE_OFFICER, None),
        }
        actions = sorted(AuditEvent.objects.filter(target_id=str(person.pk)).values_list("action", flat=True))
        assert actions == ["staff_role.grant"] * 3 + ["user.update"]
        assert all(e.actor == personas.administrator for e in AuditEvent.objects.filter(target_id=str(person.pk)))

    def test_unticking_a_role_takes_it_away(self, personas, client_for):
        pm = personas.programme_manager
        response = client_for(personas.administrator).post(
            reverse("grants:staff_user", args=[pm.pk]), _user_post(global_roles=[R.BOARD_VIEWER])
        )
        assert response.status_code == 302
        assert _roles(pm) == {(R.BOARD_VIEWER, None)}
        revoked = AuditEvent.objects.get(action="staff_role.revoke", target_id=str(pm.pk))
        assert revoked.data == {"role": R.PROGRAMME_MANAGER, "programme": personas.programme.pk}

    def test_the_page_shows_what_they_hold(self, personas, client_for):
        import re

        page = client_for(personas.administrator).get(
            reverse("grants:staff_user", args=[personas.programme_manager.pk])
        )
        checked = re.findall(r'name="managed_programmes"[^>]*value="(\d+)"\s+checked', page.text)
        assert checked == [str(personas.programme.pk)]

    @pytest.mark.parametrize(
        "overrides, field, message",
        [
            (
                {"org_role": "officer"},
                "organisation",
                "Enter the organisation this person works for, or choose no role",
            ),
            ({"organisation": "Nowhere at all"}, "organisation", "No organisation has the code or name"),
            ({"org_role": "mayor"}, "org_role", "Select their role from the list"),
            ({"global_roles": ["emperor"]}, "global_roles", "Select roles from the list"),
            ({"managed_programmes": ["999999"]}, "managed_programmes", "Select programmes from the list"),
        ],
    )
    def test_bad_input_is_an_error_on_the_field(self, personas, client_for, overrides, field, message):
        person = f.UserFactory()
        response = client_for(personas.administrator).post(
            reverse("grants:staff_user", args=[person.pk]), _user_post(**overrides)
        )
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
        assert "govuk-error-summary" in response.text
        assert not AuditEvent.objects.filter(target_id=str(person.pk)).exists()

    def test_administrators_cannot_remove_their_own_administrator_role(self, personas, client_for):
        admin = personas.administrator
        response = client_for(admin).post(reverse("grants:staff_user", args=[admin.pk]), _user_post(org_role=""))
        assert response.status_code == 200
        assert "You cannot remove your own administrator role" in response.text
        assert _roles(admin) == {(R.ADMINISTRATOR, None)}
        assert not AuditEvent.objects.filter(target_id=str(admin.pk)).exists()  # the name change rolled back too

    def test_user_list_searches_and_pages(self, personas, client_for):
        for n in range(55):
            f.UserFactory(email=f"bulk{n:02d}@example.com")
        client = client_for(personas.administrator)
        page = client.get(reverse("grants:staff_users"))
        assert page.context["page"].paginator.num_pages == 2
        found = client.get(reverse("grants:staff_users") + "?q=pm@exa")
        assert [u.email for u in found.context["page"]] == ["otherpm@example.com", "pm@example.com"]
        assert "Programme manager (Programme" in found.text

    def test_user_list_query_count_is_fixed(self, personas, client_for, django_assert_max_num_queries):
        client = client_for(personas.administrator)
        with django_assert_max_num_queries(12) as small:
            client.get(reverse("grants:staff_users"))
        for _ in range(20):
            user = f.UserFactory(organisation=personas.lead_org)
            StaffRole.objects.create(user=user, role=R.PROGRAMME_MANAGER, programme=personas.other_programme)
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(reverse("grants:staff_users"))


class TestProgrammeManagers:
    def test_administrator_adds_and_removes_a_manager(self, personas, client_for):
        client = client_for(personas.administrator)
        person = f.UserFactory(email="new.manager@example.com")
        add = reverse("grants:staff_programme_manager_add", args=[personas.programme.slug])
        assert client.post(add, {"email": "New.Manager@example.com"}).status_code == 302
        assert (R.PROGRAMME_MANAGER, personas.programme.pk) in _roles(person)
        page = client.get(reverse("grants:staff_programme_detail", args=[personas.programme.slug]))
        assert "new.manager@example.com" in page.text
        remove = reverse("grants:staff_programme_manager_remove", args=[personas.programme.slug, person.pk])
        assert client.post(remove).status_code == 302
        assert _roles(person) == set()
        assert list(
            AuditEvent.objects.filter(target_id=str(person.pk)).order_by("pk").values_list("action", flat=True)
        ) == ["staff_role.grant", "staff_role.revoke"]

    def test_an_unknown_email_is_an_error_on_the_programme_page(self, personas, client_for):
        add = reverse("grants:staff_programme_manager_add", args=[personas.programme.slug])
        response = client_for(personas.administrator).post(add, {"email": "nobody@example.com"})
        assert response.status_code == 200
        assert "No one with an account has this email address" in response.text
        assert 'href="#id_email"' in response.text
        assert response.text.count("<title>Error: ") == 1

    def test_only_administrators_see_the_managers_section(self, personas, client_for):
        url = reverse("grants:staff_programme_detail", args=[personas.programme.slug])
        assert 'id="managers"' in client_for(personas.administrator).get(url).text
        assert 'id="managers"' not in client_for(personas.programme_manager).get(url).text

    def test_programme_managers_cannot_add_managers(self, personas, client_for):
        add = reverse("grants:staff_programme_manager_add", args=[personas.programme.slug])
        response = client_for(personas.programme_manager).post(add, {"email": personas.lead_officer.email})
        assert response.status_code == 403
        assert not StaffRole.objects.filter(user=personas.lead_officer).exists()


class TestProgrammeCreation:
    def _post(self, client, slug="design"):
        funder = f.FunderFactory()
        return client.post(
            reverse("grants:staff_programme_create"),
            {"name": f"Design {slug}", "slug": slug, "code": slug[:5].upper(), "funder": funder.pk},
        )

    def test_a_programme_manager_creates_a_programme_and_manages_it(self, personas, client_for):
        client = client_for(personas.other_programme_manager)
        assert self._post(client).status_code == 302
        programme = Programme.objects.get(slug="design")
        assert (R.PROGRAMME_MANAGER, programme.pk) in _roles(personas.other_programme_manager)
        grant = AuditEvent.objects.get(action="staff_role.grant")
        assert grant.actor == personas.other_programme_manager and grant.data["programme"] == programme.pk
        assert client.get(reverse("grants:staff_round_create", args=["design"])).status_code == 200

    def test_an_administrator_is_not_made_manager_of_what_they_create(self, personas, client_for):
        assert self._post(client_for(personas.administrator)).status_code == 302
        assert not StaffRole.objects.filter(programme__slug="design").exists()

    def test_finance_and_board_cannot_create_programmes(self, personas, client_for):
        for user in (personas.finance_officer, personas.board_viewer):
            assert self._post(client_for(user), slug=f"x{user.pk}").status_code == 403
        assert not Programme.objects.filter(slug__startswith="x").exists()


class TestServices:
    def test_granting_twice_records_once(self, personas):
        person = f.UserFactory()
        staff_role_grant(actor=personas.administrator, user=person, role=R.BOARD_VIEWER)
        staff_role_grant(actor=personas.administrator, user=person, role=R.BOARD_VIEWER)
        assert AuditEvent.objects.filter(action="staff_role.grant").count() == 1

    def test_programme_manager_needs_a_programme_and_others_none(self, personas):
        person = f.UserFactory()
        with pytest.raises(ValidationError):
            staff_role_grant(actor=personas.administrator, user=person, role=R.PROGRAMME_MANAGER)
        with pytest.raises(ValidationError):
            staff_role_grant(
                actor=personas.administrator, user=person, role=R.FINANCE_OFFICER, programme=personas.programme
            )

    def test_granting_and_revoking_say_so_and_count_at_once(self, personas):
        """Both go through one recorder: the person's history reads 'is now' then 'is no longer',
        and the roles cached on the same user object are dropped each time."""
        from grants.permissions import is_programme_manager

        person = f.UserFactory(email="pat@example.gov.uk")
        assert not is_programme_manager(person, personas.programme)  # fills the cache
        staff_role_grant(
            actor=personas.administrator, user=person, role=R.PROGRAMME_MANAGER, programme=personas.programme
        )
        assert is_programme_manager(person, personas.programme)
        staff_role_revoke(
            actor=personas.administrator, user=person, role=R.PROGRAMME_MANAGER, programme=personas.programme
        )
        assert not is_programme_manager(person, personas.programme)
        summaries = list(
            AuditEvent.objects.filter(target_id=str(person.pk)).order_by("pk").values_list("summary", flat=True)
        )
        label = f"Programme manager of {personas.programme.name}"
        assert summaries == [f"pat@example.gov.uk is now {label}", f"pat@example.gov.uk is no longer {label}"]

    def test_revoking_a_role_not_held_records_nothing(self, personas):
        assert not staff_role_revoke(actor=personas.administrator, user=f.UserFactory(), role=R.BOARD_VIEWER)
        assert not AuditEvent.objects.exists()

    def test_a_role_without_an_organisation_is_refused(self, personas):
        with pytest.raises(ValidationError) as exc:
            user_update(actor=personas.administrator, user=f.UserFactory(), organisation=None, org_role="officer")
        assert "organisation" in exc.value.message_dict


class TestDjangoAdmin:
    """The Django admin shows these records but cannot change them around the services."""

    @pytest.fixture
    def admin_client(self, db, client_for):
        from tests.conftest import enable_mfa

        superuser = f.UserFactory(is_staff=True, is_superuser=True)
        enable_mfa(superuser)
        return client_for(superuser)

    def test_audit_trail_cannot_be_added_changed_or_deleted(self, personas, admin_client):
        from grants.core.audit import audit_record

        event = audit_record(actor=personas.administrator, action="round.update", target=personas.round)
        assert admin_client.get(reverse("admin:grants_auditevent_add")).status_code == 403
        page = admin_client.get(reverse("admin:grants_auditevent_change", args=[event.pk]))
        assert page.status_code == 200 and 'type="submit"' not in page.text.split('id="auditevent_form"')[-1]
        assert (
            admin_client.post(reverse("admin:grants_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code
            == 403
        )
        assert AuditEvent.objects.filter(pk=event.pk).exists()

    @pytest.mark.parametrize("model", ["programme", "round", "organisation"])
    def test_programmes_rounds_and_organisations_are_read_only(self, personas, admin_client, model):
        obj = {"programme": personas.programme, "round": personas.round, "organisation": personas.lead_org}[model]
        assert admin_client.get(reverse(f"admin:grants_{model}_add")).status_code == 403
        change = reverse(f"admin:grants_{model}_change", args=[obj.pk])
        assert admin_client.get(change).status_code == 200
        assert admin_client.post(change, {"name": "Changed in the admin"}).status_code == 403
        obj.refresh_from_db()
        assert obj.name != "Changed in the admin"

    def test_a_users_organisation_and_roles_cannot_be_changed_in_the_admin(self, personas, admin_client):
        officer = personas.lead_officer
        change = reverse("admin:grants_user_change", args=[officer.pk])
        response = admin_client.post(
            change,
            {
                "email": officer.email,
                "organisation": personas.other_org.pk,
                "org_role": "signatory",
                "is_active": "",
                "staff_roles-TOTAL_FORMS": "1",
                "staff_roles-INITIAL_FORMS": "0",
                "staff_roles-0-role": "administrator",
            },
        )
        assert response.status_code == 302
        officer.refresh_from_db()
        assert (officer.organisation, officer.org_role) == (personas.lead_org, OrgRole.OFFICER)
        assert not StaffRole.objects.filter(user=officer).exists()
        assert not officer.is_active  # switching an account off is allowed, and audited
        assert AuditEvent.objects.get(action="user.admin_change").data == {"fields": ["is_active"]}
