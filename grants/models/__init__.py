from .accounts import OrgRole, StaffRole, User
from .audit import AuditEvent
from .organisations import Organisation, OrganisationAlias, OrgKind
from .programmes import Programme, Round, RoundStatus

__all__ = [
    "AuditEvent",
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
