"""Reads for bids, shaped so each page costs a fixed number of queries however many bids exist."""

import json
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format

from grants.core.audit import COUNCIL, actions_for
from grants.core.upload_scan import ScanStatus
from grants.models import AuditEvent, Organisation, Round, StaffRole, User
from grants.people_selectors import acting_council_id
from grants.selectors import organisation_search

from .answers import display_answer, is_blank, shown_question_ids
from .models import (
    PARTNER_KINDS,
    Answer,
    Bid,
    BidPartner,
    BidStage,
    BidStatus,
    Clarification,
    EvidenceFile,
    PartnerStatus,
    Question,
    Section,
)


@dataclass
class QuestionRow:
    question: Question
    value: object = None
    files: list = field(default_factory=list)

    @property
    def answered(self) -> bool:
        if self.question.type == "file_upload":  # a file the virus check refused answers nothing
            return any(f.scan_status != ScanStatus.INFECTED for f in self.files)
        return not is_blank(self.value)

    @property
    def display(self) -> str:
        return display_answer(self.question, self.value)


@dataclass
class SectionProgress:
    section: Section
    rows: list[QuestionRow]
    # The council may still change it (`section_editable`): the task list and check-your-answers'
    # change links read this rather than restating the rule.
    editable: bool = True

    @property
    def missing(self) -> list[Question]:
        return [r.question for r in self.rows if r.question.required and not r.answered]

    @property
    def status(self) -> str:
        if not self.missing:
            return "Completed"
        if any(r.answered for r in self.rows):
            return "In progress"
        return "Not yet started"


def round_sections(*, round: Round) -> list[Section]:
    questions = Prefetch("questions", queryset=Question.objects.select_related("show_if_question"))
    return list(Section.objects.filter(round=round).prefetch_related(questions).order_by("order", "pk"))


def section_asked(*, bid: Bid, section: Section) -> bool:
    """An expression of interest asks only the EOI sections; a full bid asks every section."""
    return bid.stage != BidStage.EOI or section.stage == BidStage.EOI


def section_editable(*, bid: Bid, section: Section) -> bool:
    """Asked at this stage and not already sent: an invited full bid shows the answers its
    expression of interest sent, read-only (they are what programme staff invited)."""
    if not section_asked(bid=bid, section=section):
        return False
    return not (bid.round.two_stage and bid.stage == BidStage.FULL and section.stage == BidStage.EOI)


def task_list(*, bid: Bid, sections: list[Section] | None = None) -> list[SectionProgress]:
    """Every section this bid's stage asks, with the questions that apply to this bid, its answers
    and files: three queries (four for a single section holding a conditional question).

    The one owner of "what applied": a conditional question whose condition does not hold is
    left out, so it is neither missing nor shown on check-your-answers, the submitted bid, the
    assessor's or staff pages; its stored answer is kept in case the council changes its mind.
    """
    partial = sections is not None
    sections = round_sections(round=bid.round) if sections is None else sections
    sections = [s for s in sections if section_asked(bid=bid, section=s)]
    answers = {a.question_id: a.value for a in Answer.objects.filter(bid=bid)}
    files: dict[int | None, list] = {}
    for f in EvidenceFile.objects.filter(bid=bid):
        files.setdefault(f.question_id, []).append(f)
    questions = [q for s in sections for q in s.questions.all()]
    if partial and any(q.show_if_question_id for q in questions):
        questions = round_questions(round_id=bid.round_id)
    shown = shown_question_ids(questions, answers)
    return [
        SectionProgress(
            section=s,
            rows=[QuestionRow(q, answers.get(q.pk), files.get(q.pk, [])) for q in s.questions.all() if q.pk in shown],
            editable=section_editable(bid=bid, section=s),
        )
        for s in sections
    ]


@dataclass
class PageRow(QuestionRow):
    """A question on a section page. `controlled_by` is the controlling question when that is on
    the same page (the page can reveal this one as the answer changes); `hidden` when it does not
    apply as the page's answers stand."""

    controlled_by: Question | None = None
    hidden: bool = False

    @property
    def show_if_values_json(self) -> str:
        return json.dumps([str(v) for v in self.question.show_if_values])


def section_page(*, bid: Bid, section: Section, typed: dict | None = None) -> list[PageRow]:
    """The questions a section page renders (three queries): those that apply, and those an
    answer on this same page could reveal, rendered hidden for the page's script to show.

    Whether a question applies is shown_question_ids's decision over the stored answers with
    `typed` (what was just posted on this page, question id -> value as typed) laid over them,
    so a page put back with errors shows what its own answers call for.
    """
    questions = round_questions(round_id=bid.round_id)
    answers = dict(Answer.objects.filter(bid=bid).values_list("question_id", "value"))
    files: dict[int | None, list] = {}
    for f in EvidenceFile.objects.filter(bid=bid, question__section=section):
        files.setdefault(f.question_id, []).append(f)
    shown = shown_question_ids(questions, {**answers, **(typed or {})})
    on_page = {q.pk: q for q in questions if q.section_id == section.pk}
    rows: dict[int, PageRow] = {}
    for q in on_page.values():
        controller = on_page.get(q.show_if_question_id)
        if q.pk in shown or (controller is not None and controller.pk in rows):
            rows[q.pk] = PageRow(
                q, answers.get(q.pk), files.get(q.pk, []), controlled_by=controller, hidden=q.pk not in shown
            )
    return list(rows.values())


def round_questions(*, round_id: int) -> list[Question]:
    """Every question of a round in the round's order (section order, then question order)."""
    return list(
        Question.objects.filter(section__round_id=round_id).order_by("section__order", "section_id", "order", "pk")
    )


def applicable_question_ids(*, bid: Bid) -> set[int]:
    """The questions that apply to this bid as its answers stand now (two queries)."""
    answers = dict(Answer.objects.filter(bid=bid).values_list("question_id", "value"))
    return shown_question_ids(round_questions(round_id=bid.round_id), answers)


def questions_locked(*, round: Round) -> bool:
    """Once any bid is submitted, its answers pin the questions they answer."""
    return Bid.objects.filter(round=round, submitted_at__isnull=False).exists()


PROGRAMME_TEAM = "Programme team"
ASSESSMENT_PANEL = "Assessment panel"
CLARIFICATION_ACTIONS = "bid.clarification_"
# Council-audience actions a panel member can take on a bid (an assigned assessor asking the
# council a question); every other such action is the councils' or the programme team's.
PANEL_ACTIONS = {"bid.clarification_asked"}


def bid_history(*, bid: Bid, viewer: User) -> list[AuditEvent]:
    """The bid's audit events, newest first, each with `who` to show.

    Staff who may see the bid's programme read everything with names. Everyone else (the
    council, its partners, assessors) reads only the bid's own lifecycle: the `bid.` actions
    declared for the council audience in applications/audit_actions.py, never the assessment
    other apps record against the bid. Staff members appear as "Programme team", never by email,
    and a panel member (the assessor who asked a clarification question) as "Assessment panel":
    who on the panel asked is the programme team's to know.
    Clarification questions are listed only to those who may read them (`can_see_clarifications`:
    not partner councils, as the question is put to the lead).
    """
    from .permissions import can_see_clarifications, is_staff_viewer

    events = AuditEvent.objects.filter(target_type="applications.bid", target_id=str(bid.pk)).select_related("actor")
    staff_view = is_staff_viewer(viewer, bid)
    if not staff_view:
        actions = actions_for(audience=COUNCIL, prefix="bid.")
        if not can_see_clarifications(viewer, bid):
            actions = [a for a in actions if not a.startswith(CLARIFICATION_ACTIONS)]
        events = events.filter(action__in=actions).annotate(
            actor_is_staff=Exists(StaffRole.objects.filter(user_id=OuterRef("actor_id")))
        )
    rows = list(events.order_by("-at", "-pk"))
    for event in rows:
        if event.actor is None:
            event.who = "The service"
        elif staff_view:
            event.who = event.actor.email
        elif event.actor_is_staff or event.actor.is_superuser:
            event.who = PROGRAMME_TEAM
        elif event.action in PANEL_ACTIONS:
            event.who = ASSESSMENT_PANEL
        else:
            event.who = event.actor.email
    return rows


def bids_for_organisation(*, organisation_id: int) -> QuerySet[Bid]:
    """A council's bids as lead or as a partner (any partner status), newest first.

    Shaped from EXPLAIN ANALYZE on PostgreSQL with the bench's full dataset (20,000 bids,
    5,000 organisations), so the cost follows this council's bids, not everyone's:
    - the partner bids' ids are read first (an index lookup), so the main query is a bitmap
      OR of the lead and primary-key indexes, not a scan testing a correlated subquery;
    - no ORDER BY on the partner reads (BidPartner's default ordering joins organisations);
    - the lead's name is a subquery run only for the page's rows, not a hash join over every
      organisation before the sort;
    - "has an unconfirmed partner" reads the small partial index bidpartner_requested instead
      of a sequential scan of every partner row.
    """
    partnered_ids = list(
        BidPartner.objects.filter(organisation_id=organisation_id).order_by().values_list("bid_id", flat=True)
    )
    mine = BidPartner.objects.filter(bid=OuterRef("pk"), organisation_id=organisation_id).order_by()
    return listed_bids(Bid.objects.filter(Q(lead_id=organisation_id) | Q(pk__in=partnered_ids))).annotate(
        my_partner_status=Subquery(mine.values("status")[:1])
    )


def listed_bids(bids: QuerySet[Bid]) -> QuerySet[Bid]:
    """These bids as a council's lists show them, newest first: with their round, whether a
    partner has yet to confirm, the soonest reply-by date of an open question, and the lead's name
    (each a subquery run for the listed rows only; see `bids_for_organisation`)."""
    unconfirmed = BidPartner.objects.filter(bid=OuterRef("pk"), status=PartnerStatus.REQUESTED).order_by()
    # The soonest reply-by date of an open clarification question (index clarification_open_idx).
    asked = Clarification.objects.filter(bid=OuterRef("pk"), closed_at__isnull=True).order_by("reply_by")
    return (
        bids.select_related("round")
        .annotate(
            has_unconfirmed=Exists(unconfirmed),
            question_reply_by=Subquery(asked.values("reply_by")[:1]),
            lead_name=Subquery(Organisation.objects.filter(pk=OuterRef("lead_id")).order_by().values("short_name")[:1]),
        )
        .order_by("-created_at", "-pk")
    )


def bids_for_council(*, user: User) -> QuerySet[Bid]:
    """The dashboard's bids: those of the council the user acts for (none without a council
    role), less any they are barred from (a conflict of interest as a panel member)."""
    from .permissions import barred_bid_ids

    org = acting_council_id(user)
    if org is None:
        return Bid.objects.none()
    bids = bids_for_organisation(organisation_id=org)
    barred = barred_bid_ids(user)
    return bids.exclude(pk__in=barred) if barred else bids


def bids_for_user(*, user: User) -> QuerySet[Bid]:
    """Every bid this person may list, unordered and unannotated: their council's, as the
    dashboard lists them (`bids_for_council`: lead or partner), and, for staff, every bid of the
    programmes they may view (`grants.selectors.programmes_for_user`, as `is_staff_viewer`);
    never one they are barred from. Panel members' assigned bids are scoring's to list."""
    from grants.selectors import programmes_for_user

    from .permissions import barred_bid_ids

    if not user.is_authenticated:
        return Bid.objects.none()
    council = bids_for_council(user=user).order_by().values("pk")
    staff = programmes_for_user(user=user).order_by().values("pk")
    bids = Bid.objects.filter(Q(pk__in=council) | Q(round__programme__in=staff))
    barred = barred_bid_ids(user)
    return bids.exclude(pk__in=barred) if barred else bids


CLOSED_ACTION = "The round has closed; contact the programme team"
PARTNER_ACTION = "Confirm or decline being a partner"


def next_action(bid: Bid, organisation_id: int, now=None) -> str:
    """What the council should do next, for the dashboard. A draft past its deadline (the
    round's close, or the council's extension) can no longer be finished, so say who can help."""
    from .services.eligibility import submission_in_time

    closed = not submission_in_time(bid=bid, at=now or timezone.now())
    if bid.lead_id != organisation_id:
        if bid.my_partner_status == PartnerStatus.REQUESTED and bid.is_editable_status and not closed:
            return PARTNER_ACTION
        return "No action needed"
    reply_by = getattr(bid, "question_reply_by", None)
    if reply_by and bid.status == BidStatus.SUBMITTED:  # the question is put to the lead council
        return f"Answer the programme's question by {date_format(reply_by, 'j F Y')}"
    if closed:
        return CLOSED_ACTION
    if bid.round.two_stage:  # Issue 16: say which stage and what comes next.
        action = _two_stage_action(bid)
        if action:
            return action
    return {
        BidStatus.DRAFT: "Wait for partners to confirm, then submit"
        if bid.has_unconfirmed
        else "Complete and submit before the deadline",
        BidStatus.RETURNED: "Make the changes asked for and submit again",
        BidStatus.SUBMITTED: "Wait for the assessment",
        BidStatus.RESERVE: "Wait for the final decision",
    }.get(bid.status, "No action needed")


def _two_stage_action(bid: Bid) -> str | None:
    if bid.status == BidStatus.NOT_INVITED:
        return "Not invited to a full bid: read the reason"
    if bid.stage == BidStage.EOI:
        if bid.status == BidStatus.DRAFT:
            return "Complete and send the expression of interest before they close"
        if bid.status == BidStatus.SUBMITTED:
            return "Wait to hear whether you are invited to a full bid"
        return None
    if bid.status == BidStatus.DRAFT and not bid.has_unconfirmed:
        return "Invited: complete and submit the full bid before the deadline"
    return None


def partner_candidates(*, round: Round, query: str, lead_id: int | None, limit: int = 15) -> QuerySet[Organisation]:
    """The partner picker's results: current organisations that may be a partner in this round
    (right kind, in England when the round is), never the lead itself, best match first."""
    # limit=None leaves the search unsliced, so it can still be narrowed before taking `limit`.
    found = organisation_search(query=query, include_former=False, limit=None).filter(kind__in=PARTNER_KINDS)
    if round.england_only:
        found = found.filter(nation="England")
    if lead_id:
        found = found.exclude(pk=lead_id)
    return found[:limit]


def lead_colleagues(*, bid: Bid) -> QuerySet[User]:
    return User.objects.filter(organisation_id=bid.lead_id, is_active=True).order_by("email")


# Issue 16, clarifications.
def bid_clarifications(*, bid):
    """A bid's questions, oldest first, with who asked and answered: two joins, one query."""
    return list(Clarification.objects.filter(bid=bid).select_related("asked_by", "answered_by"))


def clarifications_context(user, bid) -> dict:
    """What templates/applications/_clarifications.html reads, for this person on this bid: the
    bid page and the assessor's scoring page both show it. Empty for anyone who may not see the
    questions (a partner council, anyone barred), so nothing of them reaches the page."""
    from . import permissions as perms

    if not perms.can_see_clarifications(user, bid):
        return {"can_see_clarifications": False}
    return {
        "can_see_clarifications": True,
        "clarifications": bid_clarifications(bid=bid),
        "can_ask_clarification": perms.can_ask_clarification(user, bid),
        "can_answer_clarification": perms.can_answer_clarification(user, bid),
        "can_close_clarification": perms.can_manage_bid(user, bid),
    }


@dataclass
class StageQuestions:
    """The sections asked at one stage of a round, under the heading the questions page shows."""

    heading: str
    sections: list[Section]


def round_question_stages(*, round: Round) -> list[StageQuestions]:
    """A round's form in order, for people to read before they start: two queries however many
    questions. A two-stage round's sections fall under its expression of interest, then the full bid."""
    sections = round_sections(round=round)
    if not round.two_stage:
        return [StageQuestions("", sections)]
    return [
        StageQuestions(heading, [s for s in sections if s.stage == stage])
        for stage, heading in ((BidStage.EOI, "Expression of interest"), (BidStage.FULL, "Full bid (by invitation)"))
    ]
