"""The attempts of an application call that the engines running its job made themselves."""

from __future__ import annotations

from wfengine import Engine


def _lost(kind: str, detail: dict[str, object]) -> bool:
    """Is this the record that closes an attempt a killed host made (runtime.lost_attempts):
    an ``invoke`` job's own call failed "interrupted", or a job's first synchronous call
    discarded as "lost" (which calls that run made is not known)?"""
    if kind == "application.failed":
        return str(detail["error"]).startswith("interrupted:")
    return kind == "application.discarded" and str(detail["reason"]).startswith("lost:")


def made_attempts(engine: Engine, iid: str) -> list[int]:
    """The attempts the engines that ran the job made (not those a killed host made, which
    the one taking its job over audits right after their invoked record)."""
    events = [e for e in engine.audit(iid) if e.kind.startswith("application.")]
    return [
        e.detail["attempt"]
        for n, e in enumerate(events)
        if e.kind == "application.invoked"
        and not (n + 1 < len(events) and _lost(events[n + 1].kind, events[n + 1].detail))
    ]
