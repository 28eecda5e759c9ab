"""What the audit trail keeps of application inputs and outputs: plain values, secrets hidden.

Values of sensitive fields are replaced by ``"***"``: a formal parameter listed in its
Application's ``wfengine:sensitive`` extended attribute, or a DataField whose
``wfengine:sensitive`` is ``true``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from wfengine.applications.registry import SENSITIVE_ATTRIBUTE
from wfengine.definition.model import Application, DataField

#: what a redacted value reads as in the audit trail
REDACTED = "***"


def audit_values(values: Mapping[str, Any], sensitive: set[str] | frozenset[str]) -> dict[str, Any]:
    """``values`` as the audit trail keeps them: sensitive ones redacted, dates as ISO text,
    anything that is not plain JSON data as its ``repr``."""
    if not values:
        return {}
    shown: dict[str, Any] = {}
    # a loop, not a comprehension: most calls pass a value or two, and a comprehension (a
    # function of its own before Python 3.12) costs more than the work
    for k, v in values.items():
        shown[k] = REDACTED if k in sensitive else v if type(v) in _PLAIN else plain(v)
    return shown


#: types kept as they are (a look at the type first: most values are one of these)
_PLAIN = frozenset({str, int, float, bool})


def plain(v: Any) -> Any:
    if type(v) in _PLAIN or v is None or isinstance(v, str | int | float | bool):
        return v
    if isinstance(v, datetime | date | time):
        return v.isoformat()
    if isinstance(v, list | tuple):
        return [plain(x) for x in v]
    if isinstance(v, Mapping):
        return {str(k): plain(x) for k, x in v.items()}
    return repr(v)


def sensitive_formals(app: Application) -> frozenset[str]:
    """Formal parameter ids listed in the Application's ``wfengine:sensitive`` attribute."""
    text = app.extended_attribute(SENSITIVE_ATTRIBUTE) or ""
    return frozenset(t for t in re.split(r"[\s,]+", text) if t)


def is_sensitive_field(field: DataField) -> bool:
    """A DataField whose ``wfengine:sensitive`` attribute is true (or present without value)."""
    for ea in field.extended_attributes:
        if ea.name == SENSITIVE_ATTRIBUTE:
            value = (ea.value if ea.value is not None else ea.text) or "true"
            return value.strip().lower() in ("true", "yes", "1")
    return False
