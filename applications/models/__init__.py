"""Bidding: a round's questions, the bids councils make, their partners, answers and evidence."""

from .bids import (
    LIVE_STATUSES,
    OUTCOME_STATUSES,
    PARTNER_KINDS,
    Bid,
    BidPartner,
    BidStatus,
    Extension,
    OtherPartner,
    OtherPartnerKind,
    PartnerStatus,
)
from .clarifications import Clarification
from .evidence import EvidenceFile
from .questions import Answer, Question, QuestionType, Section
from .stages import BidStage

__all__ = [
    "LIVE_STATUSES",
    "OUTCOME_STATUSES",
    "PARTNER_KINDS",
    "Answer",
    "Bid",
    "BidPartner",
    "BidStage",
    "BidStatus",
    "Clarification",
    "EvidenceFile",
    "Extension",
    "OtherPartner",
    "OtherPartnerKind",
    "PartnerStatus",
    "Question",
    "QuestionType",
    "Section",
]
