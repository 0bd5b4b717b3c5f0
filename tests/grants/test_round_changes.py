"""Changing a round once councils are in it: guard-rails, the audit of every change, the prospectus."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from grants.models import AuditEvent, Round
from grants.services import programme_save, round_save
from tests import factories as f
from tests.applications.factories import PDF, PNG, BidFactory, docx_bytes, upload
from tests.awards.factories import AwardFactory


def _edit_post(client, rnd: Round, **overrides) -> dict:
    """The round's edit form as the page fills it, with some answers changed."""
    form = client.get(reverse("grants:staff_round_edit", args=[rnd.slug])).context["form"]
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("prospectus_document", "eligible_kinds", "eligible_regions")
    }
    data.update(
        {
            "opens_at": form.initial["opens_at"].strftime("%Y-%m-%dT%H:%M"),
            "closes_at": form.initial["closes_at"].strftime("%Y-%m-%dT%H:%M"),
            "assessment_deadline": "",
            "decision_date": "",
        }
    )
    for flag in ("england_only", "published", "joint_bids_allowed"):
        if form.initial.get(flag):
            data[flag] = "on"
        else:
            data.pop(flag, None)
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


class TestGuardRails:
    def test_a_round_with_bids_cannot_be_unpublished(self, personas, client_for):
        BidFactory(round=personas.round)
        client = client_for(personas.programme_manager)
        response = client.post(
            reverse("grants:staff_round_edit", args=[personas.round.slug]),
            _edit_post(client, personas.round, published=None),
        )
        assert response.status_code == 200
        assert "You cannot unpublish this round because councils have started bids in it" in response.text
        personas.round.refresh_from_db()
        assert personas.round.published

    def test_a_round_without_bids_can_be_unpublished(self, personas, client_for):
        client = client_for(personas.programme_manager)
        response = client.post(
            reverse("grants:staff_round_edit", args=[personas.round.slug]),
            _edit_post(client, personas.round, published=None),
        )
        assert response.status_code == 302
        personas.round.refresh_from_db()
        assert not personas.round.published

    def test_reference_prefix_is_fixed_once_bids_have_references(self, personas):
        BidFactory(round=personas.round)  # a draft: no reference yet, so the prefix may still change
        round_save(actor=personas.programme_manager, round=personas.round, reference_prefix="NEW1")
        BidFactory(round=personas.round, reference="NEW1-000001", reference_number=1)
        with pytest.raises(ValidationError) as exc:
            round_save(actor=personas.programme_manager, round=personas.round, reference_prefix="NEW2")
        assert "bids already have references starting NEW1" in exc.value.message_dict["reference_prefix"][0]
        assert Round.objects.get(pk=personas.round.pk).reference_prefix == "NEW1"

    def test_budget_cannot_fall_below_what_awards_hold(self, personas, client_for):
        AwardFactory(round=personas.round, amount=Decimal("45000.00"))
        AwardFactory(round=personas.round, amount=Decimal("40000.00"))
        AwardFactory(round=personas.round, amount=Decimal("99000.00"), status="declined")  # holds nothing
        client = client_for(personas.programme_manager)
        url = reverse("grants:staff_round_edit", args=[personas.round.slug])
        response = client.post(url, _edit_post(client, personas.round, budget="84999.99", max_award="50000"))
        assert response.status_code == 200
        assert "Budget must be at least £85,000, the amount already committed" in response.text
        assert Round.objects.get(pk=personas.round.pk).budget == Decimal("500000.00")
        response = client.post(url, _edit_post(client, personas.round, budget="85000", max_award="50000"))
        assert response.status_code == 302
        assert Round.objects.get(pk=personas.round.pk).budget == Decimal("85000.00")

    def test_budget_counts_confirmed_funding_decisions_not_yet_awarded(self, personas):
        from scoring.models import Decision, DecisionStatus, Outcome

        bid = BidFactory(round=personas.round, amount_requested=Decimal("30000.00"))
        Decision.objects.create(bid=bid, round=personas.round, outcome=Outcome.FUNDED, status=DecisionStatus.CONFIRMED)
        proposed = BidFactory(round=personas.round)
        Decision.objects.create(bid=proposed, round=personas.round, outcome=Outcome.FUNDED, amount=Decimal("9000"))
        with pytest.raises(ValidationError) as exc:
            round_save(actor=personas.programme_manager, round=personas.round, budget=Decimal("29999"))
        assert "Budget must be at least £30,000," in exc.value.message_dict["budget"][0]


class TestAuditOfChanges:
    def test_named_list_changes_are_recorded_as_codes_before_and_after(self, personas, client_for):
        personas.round.eligible_organisations.set([personas.lead_org])
        client = client_for(personas.programme_manager)
        response = client.post(
            reverse("grants:staff_round_edit", args=[personas.round.slug]),
            _edit_post(client, personas.round, eligible_codes="MDX, LDX"),
        )
        assert response.status_code == 302, response.text[:2000]
        event = AuditEvent.objects.get(action="round.update", target_id=str(personas.round.pk))
        assert event.data["changes"]["eligible_organisations"] == [["KEX"], ["LDX", "MDX"]]

    def test_unchanged_named_list_is_not_recorded(self, personas):
        personas.round.eligible_organisations.set([personas.lead_org])
        round_save(actor=personas.programme_manager, round=personas.round, eligible_organisations=[personas.lead_org])
        event = AuditEvent.objects.get(action="round.update")
        assert "eligible_organisations" not in event.data["changes"]

    def test_partner_body_changes_are_recorded(self, personas):
        fire = f.FunderFactory(short_name="Kent Fire", kind="fire_rescue")
        programme_save(actor=personas.administrator, programme=personas.programme, partner_bodies=[fire])
        event = AuditEvent.objects.get(action="programme.update")
        assert event.data["changes"]["partner_bodies"] == [[], ["Kent Fire"]]


class TestProspectus:
    def _post(self, personas, client_for, document):
        client = client_for(personas.programme_manager)
        data = _edit_post(client, personas.round)
        data["prospectus_document"] = document
        return client.post(reverse("grants:staff_round_edit", args=[personas.round.slug]), data)

    @pytest.mark.parametrize(
        "name, content, message",
        [
            ("prospectus.png", PNG, "must be a PDF, DOCX or ODT file"),
            ("prospectus.pdf", b"just some text", "The prospectus document must be a PDF, DOCX"),
            ("prospectus.docx", PDF, "The file's name ends .docx but it is a PDF file"),
            ("prospectus.pdf", b"", "The prospectus document is empty"),
            ("p" * 120 + ".pdf", PDF, "The prospectus document's name must be 100 characters or fewer"),
        ],
    )
    def test_only_real_pdf_docx_or_odt_files(self, personas, client_for, name, content, message):
        response = self._post(personas, client_for, upload(name, content))
        assert response.status_code == 200
        assert escape(message) in response.text
        personas.round.refresh_from_db()
        assert not personas.round.prospectus_document

    def test_too_large_is_refused(self, personas, client_for, settings):
        settings.UPLOAD_MAX_BYTES = 100
        response = self._post(personas, client_for, upload("prospectus.pdf", PDF + b"0" * 200))
        assert "The prospectus document must be smaller than" in response.text

    def test_a_pdf_or_docx_is_kept_and_downloads(self, personas, client_for):
        assert self._post(personas, client_for, upload("prospectus.docx", docx_bytes())).status_code == 302
        assert self._post(personas, client_for, upload("prospectus.pdf", PDF)).status_code == 302
        response = client_for(None).get(reverse("grants:round_prospectus", args=[personas.round.slug]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF

    def test_a_document_missing_from_storage_is_not_found_not_a_server_error(self, personas, client_for):
        self._post(personas, client_for, upload("prospectus.pdf", PDF))
        personas.round.refresh_from_db()
        document = personas.round.prospectus_document
        document.storage.delete(document.name)
        response = client_for(None).get(reverse("grants:round_prospectus", args=[personas.round.slug]))
        assert response.status_code == 404
