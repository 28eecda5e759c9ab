"""Interface 5: administration and monitoring over the audit trail the engine records.

* the trail across instances: ``Engine.audit_events(...)`` (filters, keyset pages) and
  :func:`iter_events` (every page);
* its integrity: ``Engine.verify_audit()`` recomputes each instance's hash chain
  (:class:`ChainReport`, :class:`ChainBreak`);
* exports: :func:`write_csv`, :func:`write_jsonl`, :func:`write_xes` (IEEE 1849, for process
  mining);
* where a case stands: :func:`detailed_status` for the people inside, :func:`brief_status`
  for outsiders (only what the definition declares public);
* where work waits: :func:`process_metrics` (and :mod:`wfengine.audit.plots` to draw them).

``wfengine audit``, ``wfengine audit verify`` and ``wfengine status`` are the command-line
faces of these.
"""

from wfengine.audit.exports import (
    COLUMNS,
    XES_LIFECYCLE,
    event_row,
    iter_events,
    write_csv,
    write_jsonl,
    write_xes,
)
from wfengine.audit.metrics import (
    ActivityMetrics,
    Durations,
    GroupMetrics,
    ProcessMetrics,
    UserMetrics,
    process_metrics,
)
from wfengine.audit.status import (
    BriefStatus,
    DetailedStatus,
    Milestone,
    OpenWork,
    brief_status,
    detailed_status,
)
from wfengine.runtime.audit_chain import ChainBreak, ChainReport

__all__ = [
    "COLUMNS",
    "XES_LIFECYCLE",
    "ActivityMetrics",
    "BriefStatus",
    "ChainBreak",
    "ChainReport",
    "DetailedStatus",
    "Durations",
    "GroupMetrics",
    "Milestone",
    "OpenWork",
    "ProcessMetrics",
    "UserMetrics",
    "brief_status",
    "detailed_status",
    "event_row",
    "iter_events",
    "process_metrics",
    "write_csv",
    "write_jsonl",
    "write_xes",
]
