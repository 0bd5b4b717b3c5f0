"""One object of every kind around the personas, built with the apps' own services and factories.

The access matrix, CSRF, XSS and fuzz tests all need a URL for every pattern; this module makes
the objects those URLs point at, so each test sees the same, realistic world:

- `personas.round` (open) holds a submitted joint bid led by `lead_org` with `partner_org`
  confirmed, two sections (text and file upload), answers and an evidence file; the assessor and
  the panel chair are assigned to it and have declared; the conflicted assessor declared an
  interest in the lead council; the assessor's scores are in.
- `draft_round` (same programme) holds a draft joint bid of the lead council with an answer and a
  file, for the pages that only work on drafts.
- An active award made from that bid (tranche, milestone, return with an evidence file,
  variation) and an offered one (entered without a bid).
- Three personas beyond tests/conftest.py's (`extra_personas`): someone linked to the lead
  council with no council role, and an officer of the lead council and one of the partner
  council who both sit on the round's panel, so are conflicted on the bid automatically.
- An in-app notification and a failed email for the lead officer.
- `open_round` (same programme, open, no bids) where any council may start a bid, so the start
  form is on the page; `invite_bid`, a draft of the other council in `draft_round` that asks the
  partner council to confirm (a pending invitation, so the answer form is on the page).
- An open clarification question the assessor asked the lead council about the bid (issue 16).
- A finished export of the programme manager's (`export_job`, only its creator may fetch it) and
  a 360Giving file published as open data by the administrator (`published_file`).

`text` puts the same string into every free-text field reachable this way (the XSS probes).
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from applications import services as bid_services
from applications.models import Bid, BidStage, BidStatus, EvidenceFile, PartnerStatus, Question, QuestionType, Section
from grants.api.services import create_token
from grants.awards import services as award_evidence
from grants.awards import services as award_services
from grants.awards import services as monitoring
from grants.awards.models import (
    Award,
    AwardEvidenceFile,
    AwardStatus,
    BenefitsReturn,
    ContactLogEntry,
    Milestone,
    MonitoringReturn,
    PaymentTranche,
    Variation,
)
from grants.models import MembershipRequest, OrganisationDomain, OrgRole, Round, User
from grants.reporting import services as reporting_services
from grants.reporting.models import ExportJob, PublishedFile
from notifications.models import Notification
from scoring import services as scoring_services
from scoring.models import Assignment, Criterion, EoiCriterion, Interest, PanelMember
from tests import factories as f
from tests.applications.factories import PDF, BidPartnerFactory, QuestionFactory, SectionFactory, upload
from tests.awards.factories import AwardFactory, MilestoneFactory, ReturnPeriodFactory, RoundOutputFactory
from tests.conftest import enable_mfa
from tests.notifications.factories import FailedEmailFactory, InAppNotificationFactory
from tests.scoring.factories import CriterionFactory, declare

SAFE_TEXT = "Helping residents get online"

# name: (email, organisation on `personas`, council role, sits on the round's panel)
EXTRA_PERSONAS = {
    # Employed by the lead council, with no council role: acts for no council (404 on its bids).
    "lead_no_role": ("norole@example.com", "lead_org", "", False),
    # Council officers who also sit on the round's panel: conflicted on the bid their council leads
    # or partners, so barred from it and its award whatever their council role.
    "conflicted_lead_officer": ("panel.lead@example.com", "lead_org", OrgRole.OFFICER, True),
    "conflicted_partner_officer": ("panel.partner@example.com", "partner_org", OrgRole.OFFICER, True),
    # Issue 17: the lead council's section 151 officer (or delegate), who certifies its returns.
    "certifier": ("s151@example.com", "lead_org", OrgRole.CERTIFIER, False),
}


def extra_personas(personas) -> dict[str, User]:
    """The matrix's extra personas, made once per test (a second call finds them)."""
    out = {}
    for name, (email, org, role, on_panel) in EXTRA_PERSONAS.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = f.UserFactory(email=email, organisation=getattr(personas, org), org_role=role)
            if on_panel:
                f.PanelMemberFactory(panel=personas.round.panel, user=user)
                enable_mfa(user)
        out[name] = user
    return out


@dataclass
class World:
    personas: Any
    round: Round
    draft_round: Round
    section: Section
    text_question: Question
    file_question: Question
    bid: Bid
    evidence: EvidenceFile
    draft_section: Section
    draft_question: Question
    draft_bid: Bid
    draft_evidence: EvidenceFile
    criterion: Criterion
    assignment: Assignment
    chair_assignment: Assignment
    interest: Interest
    panel_member: PanelMember
    award: Award
    offered_award: Award
    tranche: PaymentTranche
    milestone: Milestone
    mreturn: MonitoringReturn
    mreturn_file: AwardEvidenceFile
    variation: Variation
    notification: Notification
    failed_email: Notification
    open_round: Round
    invite_bid: Bid
    export_job: ExportJob
    published_file: PublishedFile
    # Issue 16, clarifications.
    clarification: Any = None
    # Issue 18: the lead officer's API token (the token page's revoke button).
    api_token: Any = None
    # Issue 16, joining a council: someone at the lead council's domain waiting to join it.
    join_request: MembershipRequest | None = None
    # Issue 16, EOI triage: a two-stage round whose expressions of interest have closed, with one
    # submitted EOI waiting for triage.
    eoi_round: Round | None = None
    eoi_bid: Bid | None = None
    # Issue 16, EOI criteria: one on the two-stage round, nothing scored yet.
    eoi_criterion: EoiCriterion | None = None
    # Issue 16, follow-ups: a call on the active award whose follow-up is due today.
    contact: ContactLogEntry | None = None
    # Issue 17, commitments: one of the programme's, and a deliverable of 2018/19 naming the
    # world's round, its RAG set with a reason.
    commitment: Any = None
    deliverable: Any = None
    # Issue 17, outputs: the active award's target for the round's output (its forecast page).
    output_target: Any = None
    # Issue 17, benefits: the round asks for two years of benefits returns; an award of the lead
    # council (entered without a bid, the partner council on it) closed today, so its first
    # benefits return is scheduled (not sendable until the year ends).
    completed_award: Award | None = None
    benefits_return: BenefitsReturn | None = None
    # Issue 17, standing partnerships: one of the programme's, led by the lead council with the
    # partner council a member (`partnership_member`, whose leaving the managers may record).
    partnership: Any = None
    partnership_member: Any = None
    import_job: Any = None  # Issue 18: the programme manager's checked history file, ready to confirm


def _sections(rnd: Round, text: str) -> tuple[Section, Question, Question]:
    section = SectionFactory(round=rnd, title=f"About {text}", description=text, order=1)
    text_q = QuestionFactory(
        section=section, text=f"What is the aim? {text}", hint=text, type=QuestionType.LONG_TEXT, order=1
    )
    file_q = QuestionFactory(section=section, text="Project plan", type=QuestionType.FILE_UPLOAD, order=2)
    return section, text_q, file_q


def _start_bid(rnd: Round, actor, title: str, amount: str, text: str, partners=()) -> Bid:
    return bid_services.start_bid(
        round=rnd,
        actor=actor,
        title=title,
        summary=f"Summary {text}",
        amount_requested=Decimal(amount),
        match_funding=Decimal("0.00"),
        planned_start=timezone.localdate() + timedelta(days=60),
        planned_end=timezone.localdate() + timedelta(days=400),
        partners=partners,
    )


def _bid(rnd: Round, personas, section, text_q, file_q, text: str) -> tuple[Bid, EvidenceFile]:
    lead = personas.lead_officer
    bid = _start_bid(rnd, lead, f"Digital skills {text}", "20000.00", text)
    BidPartnerFactory(bid=bid, organisation=personas.partner_org, status=PartnerStatus.CONFIRMED)
    bid_services.save_section_answers(bid=bid, actor=lead, section=section, data={text_q.pk: f"Answer {text}"})
    evidence = bid_services.upload_evidence(bid=bid, actor=lead, upload=upload("plan.pdf", PDF), question=file_q)
    return bid, evidence


def build_world(personas, text: str = SAFE_TEXT) -> World:
    rnd = personas.round
    pm = personas.programme_manager
    rnd.name = f"{rnd.name} {text}"
    rnd.prospectus = f"Prospectus {text}"
    rnd.eligibility_note = f"Note {text}"[:100]
    rnd.prospectus_document.save("prospectus.pdf", ContentFile(PDF), save=False)
    rnd.save()
    personas.lead_org.name = f"Kent County Council {text}"
    personas.lead_org.short_name = f"Kent {text}"
    personas.lead_org.save()

    section, text_q, file_q = _sections(rnd, text)
    bid, evidence = _bid(rnd, personas, section, text_q, file_q, text)
    bid = bid_services.submit_bid(bid=bid, actor=personas.lead_officer, declaration_name=text, declaration_role=text)
    assert bid.status == BidStatus.SUBMITTED

    draft_round = f.RoundFactory(programme=personas.programme, name=f"Draft round {text}", slug="draft-round")
    d_section, d_text_q, d_file_q = _sections(draft_round, text)
    draft_bid, draft_evidence = _bid(draft_round, personas, d_section, d_text_q, d_file_q, text)

    # Assessment: criteria, declarations, an interest, assignments and a submitted assessment.
    # The round stays open for bids, so it allows early assessment (otherwise scoring waits for the close).
    Round.objects.filter(pk=rnd.pk).update(allow_early_assessment=True)
    rnd.refresh_from_db()
    criterion = CriterionFactory(round=rnd, name=f"Value {text}", guidance=text)
    extra = extra_personas(personas)
    for member in (
        personas.assessor,
        personas.panel_chair,
        personas.conflicted_assessor,
        extra["conflicted_lead_officer"],
        extra["conflicted_partner_officer"],
    ):
        declare(member, rnd)
    interest = scoring_services.interest_add(
        round=rnd, user=personas.conflicted_assessor, organisation=personas.lead_org, nature=f"I work there {text}"
    )
    assignment = scoring_services.assign(bid=bid, assessor=personas.assessor, actor=pm)
    chair_assignment = scoring_services.assign(bid=bid, assessor=personas.panel_chair, actor=pm)
    scoring_services.assessment_submit(
        assignment=assignment,
        user=personas.assessor,
        data={criterion.pk: {"score": criterion.max_score, "justification": f"Because {text}"}},
    )

    # Awards: an active one with a tranche, milestone, return and variation; an offered one.
    award = AwardFactory(round=rnd, bid=bid, lead=personas.lead_org, status=AwardStatus.ACTIVE, title=f"Award {text}")
    award.partners.add(personas.partner_org)
    round_output = RoundOutputFactory(round=rnd)
    award_services.output_targets_set(award=award, actor=pm, targets={round_output.pk: Decimal("40000")})
    ReturnPeriodFactory(round=rnd, title=f"Quarter 1 {text}")
    award_services.returns_create(award=award)
    milestone = MilestoneFactory(award=award, description=f"Milestone {text}")
    mreturn = award.returns.get()
    mreturn.commentary = f"Commentary {text}"
    mreturn.save()
    (mreturn_file,) = award_evidence.evidence_add(
        actor=personas.lead_officer, uploads=[upload("progress.pdf", PDF)], mreturn=mreturn
    )
    variation = monitoring.variation_request(
        award=award,
        actor=personas.lead_officer,
        kind="dates",
        reason=f"Delay {text}",
        new_planned_end=award.planned_end + timedelta(days=90),
    )
    offered = AwardFactory(round=rnd, lead=personas.lead_org, title=f"Offered {text}")
    # Issue 17, follow-ups: written directly, so the world gains no audit record for it.
    today = timezone.localdate()
    contact = ContactLogEntry.objects.create(
        award=award,
        held_on=today - timedelta(days=7),
        kind="phone",
        participants=f"Jo Council {text}",
        agreed=f"Send the revised plan {text}",
        follow_up_by=today,
        logged_by=pm,
    )

    completed_award, benefits_return = _benefits(personas, rnd, text)

    open_round = f.RoundFactory(programme=personas.programme, name=f"Open round {text}", slug="open-round")
    invite_bid = _start_bid(
        draft_round, personas.other_officer, f"Shared services {text}", "15000.00", text, [personas.partner_org]
    )
    # Reporting: the export runs at once here (the worker's job), then the file is published.
    job = reporting_services.export_request(user=pm, table="awards", fmt="csv", params={})
    export_job = reporting_services.export_run(job_id=job.pk)
    published = reporting_services.open_data_publish(user=personas.administrator, fmt="json")

    # Issue 16, clarifications: the assessor asks the lead council a question, still open.
    from applications.services.clarifications import ask_clarification

    clarification = ask_clarification(
        bid=bid, actor=personas.assessor, question=f"Question {text}", reply_by=timezone.localdate()
    )
    # Issue 16, EOI triage
    now = timezone.now()
    eoi_round = f.RoundFactory(
        programme=personas.programme,
        name=f"Two-stage round {text}",
        slug="eoi-round",
        opens_at=now - timedelta(days=40),
        eoi_closes_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    eoi_bid = Bid.objects.create(
        round=eoi_round, lead=personas.other_org, title=f"Idea {text}", summary=text,
        amount_requested=Decimal("40000"), stage=BidStage.EOI, status=BidStatus.SUBMITTED,
        reference="EOIR-000001", reference_number=1, submitted_at=now - timedelta(days=2),
        eoi_submitted_at=now - timedelta(days=2),
    )  # fmt: skip
    eoi_criterion = EoiCriterion.objects.create(round=eoi_round, name=f"Risk addressed {text}", guidance=text)

    return World(
        personas=personas,
        round=rnd,
        draft_round=draft_round,
        section=section,
        text_question=text_q,
        file_question=file_q,
        bid=bid,
        evidence=evidence,
        draft_section=d_section,
        draft_question=d_text_q,
        draft_bid=draft_bid,
        draft_evidence=draft_evidence,
        criterion=criterion,
        assignment=assignment,
        chair_assignment=chair_assignment,
        interest=interest,
        panel_member=PanelMember.objects.get(panel__round=rnd, user=personas.assessor),
        award=award,
        offered_award=offered,
        tranche=award.tranches.get(),
        milestone=milestone,
        mreturn=mreturn,
        mreturn_file=mreturn_file,
        variation=variation,
        notification=InAppNotificationFactory(recipient=personas.lead_officer, subject=f"Bid received {text}"),
        failed_email=FailedEmailFactory(recipient=personas.lead_officer, subject=f"Failed {text}"),
        open_round=open_round,
        invite_bid=invite_bid,
        export_job=export_job,
        published_file=published,
        clarification=clarification,  # Issue 16, clarifications
        eoi_round=eoi_round,
        eoi_bid=eoi_bid,
        eoi_criterion=eoi_criterion,  # Issue 16, EOI criteria
        join_request=_join_request(personas),
        contact=contact,
        **_commitments(personas, rnd, text),  # Issue 17, commitments
        output_target=award.output_targets.get(),  # Issue 17, outputs
        completed_award=completed_award,
        benefits_return=benefits_return,
        **_partnership(personas, text),  # Issue 17, standing partnerships
        import_job=_import_job(personas, rnd),
        api_token=create_token(user=personas.lead_officer, name=f"Token {text}", lifetime=timedelta(days=30))[0],
    )


# Issue 17, commitments and deliverables
def _commitments(personas, rnd: Round, text: str) -> dict:
    from grants.reporting import commitment_services

    pm, programme = personas.programme_manager, personas.programme
    data = {"financial_year": None, "text": f"At least 25 councils {text}", "target": Decimal("25"),
            "unit": "count", "measure": "awards_made", "manual_value": None, "manual_as_at": None}  # fmt: skip
    commitment = commitment_services.commitment_save(user=pm, programme=programme, data=data)
    deliverable = commitment_services.deliverable_add(
        user=pm, programme=programme, financial_year=2018, title=f"Fund councils {text}", round=rnd
    )
    commitment_services.deliverable_rag_set(user=pm, deliverable=deliverable, rag="amber", reason=f"Late {text}")
    return {"commitment": commitment, "deliverable": deliverable}


# Issue 17, benefits after closure
def _benefits(personas, rnd: Round, text: str) -> tuple[Award, BenefitsReturn]:
    Round.objects.filter(pk=rnd.pk).update(benefits_years=2)
    rnd.benefits_years = 2
    award = AwardFactory(
        round=rnd, lead=personas.lead_org, status=AwardStatus.ACTIVE, title=f"Completed {text}", closure_report=text
    )
    award.partners.add(personas.partner_org)
    award_services.award_close(award=award, actor=personas.programme_manager)
    breturn = award.benefits_returns.get(year=1)
    breturn.commentary = f"Benefits {text}"
    breturn.save(update_fields=["commentary"])
    return award, breturn


# Issue 17, standing partnerships
def _partnership(personas, text: str) -> dict:
    formed = timezone.localdate() - timedelta(days=400)
    partnership = award_services.partnership_create(
        programme=personas.programme,
        name=f"Kent and Medway estate {text}",
        lead=personas.lead_org,
        formed_on=formed,
        members=(personas.partner_org,),
        actor=None,
    )
    member = partnership.members.get(organisation=personas.partner_org)
    return {"partnership": partnership, "partnership_member": member}


# Issue 16, joining a council
def _join_request(personas) -> MembershipRequest:
    OrganisationDomain.objects.create(organisation=personas.lead_org, domain="kent.example.org")
    joiner = f.UserFactory(email="joiner@kent.example.org", full_name="Jo Joiner")
    return MembershipRequest.objects.create(
        user=joiner, organisation=personas.lead_org, matched_domain="kent.example.org"
    )


def _import_job(personas, rnd):
    """Issue 18: a history file of one award in the world's round, checked and ready to confirm."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from grants.awards.imports.jobs import job_start
    from tests.awards.importing import AWARD_HEADINGS, workbook

    row = ["HIST-1", rnd.programme.slug, rnd.slug, personas.lead_org.code, "", "History", "1000", "2019-04-01", "", ""]
    book = workbook({"Awards": [AWARD_HEADINGS, row]})
    return job_start(upload=SimpleUploadedFile("history.xlsx", book.getvalue()), user=personas.programme_manager)
