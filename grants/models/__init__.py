from .accounts import OrgRole, StaffRole, User
from .audit import AuditEvent
from .dataversion import DataVersion
from .membership import MembershipRequest, MembershipStatus, OrganisationDomain
from .notes import Note, NoteVisibility
from .organisations import Organisation, OrganisationAlias, OrgKind
from .partnerships import Partnership, PartnershipMember
from .programmes import Programme, Round, RoundStatus

__all__ = [
    "AuditEvent",
    "DataVersion",
    "MembershipRequest",
    "MembershipStatus",
    "Note",
    "NoteVisibility",
    "OrgKind",
    "OrgRole",
    "Organisation",
    "OrganisationAlias",
    "OrganisationDomain",
    "Partnership",
    "PartnershipMember",
    "Programme",
    "Round",
    "RoundStatus",
    "StaffRole",
    "User",
]
