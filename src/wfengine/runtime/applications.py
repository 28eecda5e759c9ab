"""Deprecated: the application registry moved to :mod:`wfengine.applications`.

``from wfengine.runtime.applications import ApplicationRegistry`` keeps working (with a
``DeprecationWarning``); import from ``wfengine.applications`` (or ``wfengine``) instead.
"""

from __future__ import annotations

import warnings
from typing import Any

from wfengine.applications import registry as _registry


def __getattr__(name: str) -> Any:
    value = getattr(_registry, name)  # AttributeError for names that never were here
    warnings.warn(
        f"wfengine.runtime.applications.{name} moved to wfengine.applications.{name}",
        DeprecationWarning,
        stacklevel=2,
    )
    return value
