from .accounts import OrgRole, StaffRole, User
from .audit import AuditEvent
from .membership import MembershipRequest, MembershipStatus, OrganisationDomain
from .organisations import Organisation, OrganisationAlias, OrgKind
from .programmes import Programme, Round, RoundStatus

__all__ = [
    "AuditEvent",
    "MembershipRequest",
    "MembershipStatus",
    "OrgKind",
    "OrgRole",
    "Organisation",
    "OrganisationAlias",
    "OrganisationDomain",
    "Programme",
    "Round",
    "RoundStatus",
    "StaffRole",
    "User",
]
