"""JSON output of the commands: one encoder, so every ``--json`` spells values the same way.

Datetimes, dates and times are ISO 8601 text (``2026-05-10T12:00:00+00:00``); Decimals and
anything else that JSON has no form for are their ``str``. Keys keep the order the command
gives them, which is the order the contract lists them in.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wfengine.runtime.snapshots import IncidentSnapshot


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return str(value)


def dumps(value: Any, *, indent: int | None = None) -> str:
    return json.dumps(value, default=_default, indent=indent)


def iso(value: datetime | None) -> str | None:
    """A datetime as ISO text, None as None (JSON null)."""
    return None if value is None else value.isoformat()


def incident_row(incident: IncidentSnapshot) -> dict[str, Any]:
    """An open incident as ``wfengine incidents --json`` and ``run --json`` list it:
    ``{"id", "instance_id", "activity_id", "application_id", "error", "attempts"}``."""
    return {
        "id": incident.id,
        "instance_id": incident.instance_id,
        "activity_id": incident.activity_id,
        "application_id": incident.application_id,
        "error": incident.message,
        "attempts": incident.attempts,
    }
