from .awards import *  # noqa: F403  (see awards.__all__)
from .awards import __all__  # noqa: F401
from .contacts import ContactKind, ContactLogEntry  # noqa: F401  (Issue 16, notes)
