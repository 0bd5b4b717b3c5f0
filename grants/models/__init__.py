from .accounts import OrgRole, StaffRole, User
from .audit import AuditEvent
from .notes import Note, NoteVisibility
from .organisations import Organisation, OrganisationAlias, OrgKind
from .programmes import Programme, Round, RoundStatus

__all__ = [
    "AuditEvent",
    "Note",
    "NoteVisibility",
    "OrgKind",
    "OrgRole",
    "Organisation",
    "OrganisationAlias",
    "Programme",
    "Round",
    "RoundStatus",
    "StaffRole",
    "User",
]
