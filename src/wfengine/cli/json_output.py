"""JSON output of the commands: one encoder (:mod:`wfengine.json_text`, which the audit
exports share), so every ``--json`` spells values the same way. Keys keep the order the command
gives them, which is the order the contract lists them in.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from wfengine.json_text import dumps as dumps
from wfengine.json_text import finite as finite

if TYPE_CHECKING:
    from wfengine.runtime.snapshots import IncidentSnapshot


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
