"""An answer of the wrong type that echoes a secret input: the incident masks it whether the
secret is marked on the data field or on the Application's formal parameter.

Why: the incident masked only the instance's sensitive fields, so a formal listed in the
Application's ``wfengine:sensitive`` (the field passed to it unmarked) had its value quoted
in clear in the incident, the audit trail and the outbox ("got str 'card 4111-...'"), while
the call's own records and a failed call's text hid it."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine

CARD = "4111-1111-1111-1111"


def _package(mark_on: str) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.application(
        "charge",
        params=[("card", "IN", "STRING"), ("n", "OUT", "INTEGER")],
        extended={"wfengine:sensitive": "card"} if mark_on == "formal" else None,
    )
    p = pb.process("main")
    p.data_field(
        "pan", "STRING", extended={"wfengine:sensitive": "true"} if mark_on == "field" else None
    )
    p.data_field("n", "INTEGER", initial="0")
    p.activity("call", tool="charge", args=["pan", "n"]).activity("after")
    p.transition("call", "after")
    return pb


@pytest.mark.parametrize("mark_on", ["formal", "field"])
@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_an_unfit_answer_echoing_a_secret_input_is_masked_in_the_incident(
    engine: Engine, mark_on: str, asynchronous: bool
) -> None:
    engine.applications.register(
        "charge", lambda card: {"n": f"charged {card}"}, asynchronous=asynchronous
    )
    iid = run(engine, _package(mark_on), data={"pan": CARD})
    engine.run_due_jobs()
    [incident] = engine.incidents(iid)
    assert "got str 'charged ***'" in incident.message
    opened = [e for e in engine.audit(iid) if e.kind == "incident.opened"]
    assert opened and all(CARD not in str(e.detail) for e in opened)
    assert "1111" not in incident.message  # (no part of it either)
    assert engine.instance(iid).data["n"] == 0
