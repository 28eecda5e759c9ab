"""A failed call's text in the audit trail hides every sensitive field of its instance, as the
incident's message does: ``application.failed`` masked only the call's own sensitive inputs,
so a secret that was no parameter of the call but that the service echoed in its error (a
PIN, with the user name it was given) was stored in clear in the append-only trail, while the
incident beside it showed ``***``. One rule for both (:func:`~wfengine.applications.
redaction.masked_fields`); synchronous calls with retries and asynchronous (``invoke`` job)
calls, on every store."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.runtime.conftest import run
from wfengine.applications.redaction import REDACTED, masked_fields
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine

PIN = "98765432"


def _package() -> PackageBuilder:
    pb = PackageBuilder("leak")
    pb.application("login", params=[("user_name", "IN", "STRING")])
    p = pb.process("main")
    p.data_field("user_name", "STRING")
    p.data_field("pin", "STRING", extended={"wfengine:sensitive": "true"})
    p.activity("call", tool="login", args=["user_name"])
    return pb


def login(user_name: str) -> None:
    """A service echoing the request in its error."""
    raise ValueError(f"login refused for {user_name} with pin {PIN}")


def _told(engine: Engine, iid: str) -> list[dict[str, Any]]:
    failed = [e.detail for e in engine.audit(iid) if e.kind == "application.failed"]
    (incident,) = engine.incidents(iid)
    assert PIN not in incident.message
    for detail in failed:
        assert PIN not in detail["error"], detail
        assert f"pin {REDACTED}" in detail["error"], detail
    return failed


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "invoke job"])
def test_application_failed_masks_a_sensitive_field_that_is_no_input(
    engine: Engine, asynchronous: bool
) -> None:
    engine.applications.register("login", login, retries=1, backoff=0.5, asynchronous=asynchronous)
    iid = run(engine, _package(), data={"user_name": "ann", "pin": PIN})
    if asynchronous:
        engine.run_due_jobs()  # attempt 1
        engine.clock.advance(timedelta(seconds=1))  # type: ignore[attr-defined]
        engine.run_due_jobs()  # attempt 2, the last
    failed = _told(engine, iid)
    assert [d["attempt"] for d in failed] == [1, 2]  # the retry's record too


def test_the_rule_is_the_incidents() -> None:
    data = {"pin": PIN, "name": "ann"}
    assert masked_fields(f"ann, {PIN}", data, frozenset({"pin"})) == f"ann, {REDACTED}"
    assert masked_fields(f"ann, {PIN}", data, frozenset()) == f"ann, {PIN}"
