"""The embedded default: what `make run` uses on a fresh machine."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
DEMO_DATA_ALLOWED = True
