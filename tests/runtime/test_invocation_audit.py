"""What the audit trail keeps of an application call: secrets hidden however they are named or
echoed, and an answer recorded in a form every store can hold."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.runtime.conftest import run
from wfengine.applications.redaction import REDACTED
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import SchemaType
from wfengine.errors import PermanentApplicationError
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState

CARD = "4111111111111111"


def test_a_sensitive_field_named_by_its_name_is_redacted_as_by_its_id(engine: Engine) -> None:
    """Expressions may name a field by its Name: the value it passes is as secret."""
    pb = PackageBuilder("pkg")
    pb.application("charge", params=[("number", "IN", "STRING")])
    p = pb.process("main")
    p.data_field(
        "f_7c1e",
        "STRING",
        name="card",
        initial=f'"{CARD}"',
        extended={"wfengine:sensitive": "true"},
    )
    p.activity("by_id", tool="charge", args=["f_7c1e"])
    p.activity("by_name", tool="charge", args=["card"])
    p.activity("computed", tool="charge", args=['card + ""'])
    p.transition("by_id", "by_name").transition("by_name", "computed")
    seen: list[str] = []
    engine.applications.register("charge", lambda number: seen.append(number))
    iid = run(engine, pb)
    assert seen == [CARD] * 3
    invoked = [e for e in engine.audit(iid) if e.kind == "application.invoked"]
    assert [e.activity_id for e in invoked] == ["by_id", "by_name", "computed"]
    assert [e.detail["inputs"] for e in invoked] == [{"number": REDACTED}] * 3
    assert not any(CARD in str(e.detail) for e in engine.audit(iid))


def _echoing_package(*, field_sensitive: bool) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.application(
        "charge",
        params=[("number", "IN", "STRING"), ("holder", "IN", "STRING")],
        extended=None if field_sensitive else {"wfengine:sensitive": "number holder"},
    )
    p = pb.process("main")
    secret = {"wfengine:sensitive": "true"} if field_sensitive else None
    p.data_field("card", "STRING", initial=f'"{CARD}"', extended=secret)
    p.data_field("holder", "STRING", initial='"Jürgen \\"J\\" Groß"', extended=secret)
    p.activity("pay", tool="charge", args=["card", "holder"])
    return pb


@pytest.mark.parametrize("asynchronous", [False, True], ids=["in-command", "invoke-job"])
@pytest.mark.parametrize("field_sensitive", [True, False], ids=["field", "formal"])
def test_a_failure_echoing_a_sensitive_input_is_audited_and_told_masked(
    engine: Engine, field_sensitive: bool, asynchronous: bool
) -> None:
    """An HTTP 4xx body or a validation error often quotes the request: the failed attempt's
    record hides the secret as the invocation's record does, and so does the incident."""

    def charge(number: str, holder: str) -> None:
        raise PermanentApplicationError(
            f"422 card {number} rejected: {json.dumps({'holder': holder, 'number': number})}"
        )

    engine.applications.register("charge", charge, asynchronous=asynchronous)
    iid = run(engine, _echoing_package(field_sensitive=field_sensitive))
    engine.run_due_jobs()
    (failed,) = [e for e in engine.audit(iid) if e.kind == "application.failed"]
    assert failed.detail["error"] == (
        'PermanentApplicationError: 422 card *** rejected: {"holder": "***", "number": "***"}'
    )
    (incident,) = engine.incidents(iid)
    assert failed.detail["error"] in incident.message
    everything = repr([e.detail for e in engine.audit(iid)])
    everything += repr([r.payload for r in engine.outbox.entries()])
    assert CARD not in everything and "rgen" not in everything


def _nested(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize("asynchronous", [False, True], ids=["in-command", "invoke-job"])
@pytest.mark.parametrize(
    ("answer", "kept"),
    [
        (_nested(100), "... (a list of 1 items, deeper than 32 levels)"),
        (2**5000, "... (an integer of 5,001 bits)"),
    ],
    ids=["nested-100-deep", "integer-5001-bits"],
)
def test_an_answer_the_data_cannot_hold_is_an_incident_on_every_store(
    engine: Engine, asynchronous: bool, answer: Any, kept: str
) -> None:
    """The answer is recorded before it is checked: the record keeps what the store can hold,
    saying how much there was, and the activity waits with an incident (on a database the
    command used to fail, losing the new instance)."""
    pb = PackageBuilder("pkg")
    pb.application("a", params=[("r", "OUT", SchemaType())])
    p = pb.process("main")
    p.data_field("res", SchemaType())
    p.activity("t", tool="a", args=["res"])
    engine.applications.register("a", lambda: {"r": answer}, asynchronous=asynchronous)
    iid = run(engine, pb)
    engine.run_due_jobs()
    assert engine.instance(iid).state is ProcessState.RUNNING
    (incident,) = engine.incidents(iid)
    assert (
        incident.activity_id == "t" and "application 'a' returned, data['res']" in incident.message
    )
    (returned,) = [e for e in engine.audit(iid) if e.kind == "application.returned"]
    shown = returned.detail["outputs"]["r"]
    while isinstance(shown, list):
        (shown,) = shown
    assert shown == kept
    assert engine.instance(iid).data.get("res") is None


def test_start_data_as_deep_as_data_may_be_is_audited_on_every_store(engine: Engine) -> None:
    """Data may nest 64 deep; the trail, which holds it inside its event, keeps 32 levels."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", SchemaType())
    p.activity("a")
    iid = run(engine, pb, data={"x": _nested(64)})
    assert engine.instance(iid).data["x"] == _nested(64)
    (created,) = [e for e in engine.audit(iid) if e.kind == "instance.created"]
    assert str(created.detail["data"]["x"]).count("[") == 32
