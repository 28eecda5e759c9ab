"""An application with a sensitive OUT parameter that answers malformed (a bare value, a list,
the key in another case, the outputs nested in a record) leaves no secret in the audit trail,
which is append-only and hash-chained: the answer is recorded before it is checked, so its
values are hidden where no name says they are not secret. A well-formed answer is recorded
as before."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.runtime.conftest import run
from wfengine.applications import REDACTED, call_application, make_binding
from wfengine.applications.redaction import audit_answer
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine

TOKEN = "tok_live_9f8e7d6c5b4a"


def _issue() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("user", "STRING", initial='"ada"')
    p.data_field("token", "STRING", extended={"wfengine:sensitive": "true"})
    p.data_field("note", "STRING")
    p.application(
        "issue",
        params=[("user", "IN", "STRING"), ("token", "OUT", "STRING"), ("note", "OUT", "STRING")],
        extended={"wfengine:sensitive": "token"},
    )
    p.activity("one", tool="issue", args=["user", "token", "note"])
    return pb


def _trail(engine: Engine, instance_id: str) -> str:
    told = json.dumps([e.detail for e in engine.audit(instance_id)])
    told += repr([i.message for i in engine.incidents(instance_id)])
    return told + repr([r.payload for r in engine.outbox.entries()])


def _returned(engine: Engine, instance_id: str) -> Any:
    [returned] = [e for e in engine.audit(instance_id) if e.kind == "application.returned"]
    return returned.detail["outputs"]


@pytest.mark.parametrize(
    ("answer", "recorded"),
    [
        (TOKEN, f"{REDACTED} (str)"),
        ([TOKEN], f"{REDACTED} (list)"),
        ({"Token": TOKEN, "note": "n"}, {"Token": REDACTED, "note": "n"}),
        ({"data": {"token": TOKEN}}, {"data": REDACTED}),
        ({"token": TOKEN, "extra": TOKEN}, {"token": REDACTED, "extra": REDACTED}),
    ],
    ids=["bare", "list", "other-case", "nested", "unknown-key"],
)
@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_malformed_answer_of_a_secret_is_not_recorded_in_clear(
    engine: Engine, answer: Any, recorded: Any, asynchronous: bool
) -> None:
    engine.applications.register("issue", lambda user: answer, asynchronous=asynchronous)
    iid = run(engine, _issue())
    engine.run_due_jobs()
    [incident] = engine.incidents(iid)  # the answer does not fit: nothing is written
    assert incident.activity_id == "one"
    assert engine.instance(iid).data["token"] is None
    assert _returned(engine, iid) == recorded
    assert TOKEN not in _trail(engine, iid)


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_well_formed_answer_is_recorded_as_before(engine: Engine, asynchronous: bool) -> None:
    answer = {"token": TOKEN, "note": "issued"}
    engine.applications.register("issue", lambda user: answer, asynchronous=asynchronous)
    iid = run(engine, _issue())
    engine.run_due_jobs()
    assert engine.incidents(iid) == []
    assert engine.instance(iid).data["token"] == TOKEN
    assert _returned(engine, iid) == {"token": REDACTED, "note": "issued"}


def test_without_secrets_an_answer_is_recorded_whole() -> None:
    assert audit_answer("plain", frozenset()) == "plain"
    assert audit_answer({"Code": [1, {"x": 2}]}, frozenset(), ("code",)) == {"Code": [1, {"x": 2}]}


def test_a_host_calling_with_secrets_and_no_expected_keys_gets_them_hidden_by_name() -> None:
    # call_application without ``expected``: keys naming a secret in any case, at any depth
    records: list[Any] = []
    binding = make_binding("issue", lambda: {"TOKEN": TOKEN, "out": {"inner": {"token": TOKEN}}})
    secret = frozenset({"token"})
    call_application(binding, {}, "k", sleep=print, record=records.append, sensitive=secret)
    assert records[-1].outputs == {"TOKEN": REDACTED, "out": {"inner": {"token": REDACTED}}}
