from .accounts import OrgRole, StaffRole, User
from .audit import AuditEvent
from .awards import *  # noqa: F403  (awards and monitoring; see awards.__all__)
from .organisations import Organisation, OrganisationAlias, OrgKind
from .programmes import Programme, Round, RoundStatus
from .reporting import *  # noqa: F403  (exports, board summaries, open data; see reporting.__all__)

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
