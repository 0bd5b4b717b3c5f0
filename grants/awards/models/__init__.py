from .awards import *  # noqa: F403  (see awards.__all__)
from .awards import __all__  # noqa: F401
