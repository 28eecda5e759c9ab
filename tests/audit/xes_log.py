"""Reading back what ``write_xes`` wrote, for the XES tests: each event's attributes, and the
(activity, transition, resource) steps most of them compare."""

from __future__ import annotations

import io
from typing import Any

from lxml import etree

from wfengine import Engine, write_xes


def xes_events(engine: Engine, **filters: Any) -> list[dict[str, str]]:
    """Each event of the engine's XES log (``filters`` as ``write_xes`` takes them), in the
    log's order, as its attributes' key -> value."""
    out = io.BytesIO()
    write_xes(engine, out, **filters)
    return [
        {str(x.get("key")): str(x.get("value")) for x in event}
        for event in etree.fromstring(out.getvalue()).iter("event")
    ]


def xes_steps(engine: Engine, **filters: Any) -> list[tuple[str, str, str | None]]:
    """Each event as (concept:name, lifecycle:transition, org:resource or None)."""
    return [
        (ev["concept:name"], ev["lifecycle:transition"], ev.get("org:resource"))
        for ev in xes_events(engine, **filters)
    ]
