from .awards import *  # noqa: F403  (see awards.__all__)
from .awards import __all__  # noqa: F401
from .benefits import BENEFIT_KINDS, BENEFIT_LABELS, BenefitsProjection, BenefitsReturn  # noqa: F401  (Issue 17, benefits)
from .contacts import ContactKind, ContactLogEntry  # noqa: F401  (Issue 16, notes)
from .imports import ImportJob, ImportStatus  # noqa: F401  (Issue 18, import of history)
