"""A job whose command makes three synchronous calls in a row (a1, a2, a3), and how its
application records read: shared by the tests of runs lost mid-job (a host killed whole,
``test_killed_host_attempts.py``; a run a supervisor stopped, ``test_stopped_run_calls.py``)."""

from __future__ import annotations

from typing import Any

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine


def package() -> PackageBuilder:
    """Activities a1, a2, a3 in a row, each calling ``app`` with ``x``."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "INTEGER", initial="7")
    p.application("app", params=[("a", "IN", "INTEGER")])
    for name in ("a1", "a2", "a3"):
        p.activity(name, tool="app", args=["x"])
    p.transition("a1", "a2").transition("a2", "a3")
    return pb


def trail(engine: Engine, iid: str) -> list[tuple[str, str | None, Any]]:
    """Each application record: its kind, activity, and its attempt (invoked) or its reason's
    first two words (discarded)."""
    out: list[tuple[str, str | None, Any]] = []
    for e in engine.audit(iid):
        if not e.kind.startswith("application."):
            continue
        d = e.detail
        what = d.get("attempt") if e.kind == "application.invoked" else None
        if e.kind == "application.discarded":
            what = " ".join(d["reason"].split()[:2])
        out.append((e.kind.removeprefix("application."), e.activity_id, what))
    return out
