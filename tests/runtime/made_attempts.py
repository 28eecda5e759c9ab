"""The attempts of an application call that the engines running its job made themselves."""

from __future__ import annotations

from wfengine import Engine


def made_attempts(engine: Engine, iid: str) -> list[int]:
    """The attempts the engines that ran the job made (not those a killed host made, which
    the one taking its job over audits as failed "interrupted": runtime.lost_attempts)."""
    events = engine.audit(iid)
    lost = {
        e.detail["attempt"]
        for e in events
        if e.kind == "application.failed" and e.detail["error"].startswith("interrupted:")
    }
    return [
        e.detail["attempt"]
        for e in events
        if e.kind == "application.invoked" and e.detail["attempt"] not in lost
    ]
