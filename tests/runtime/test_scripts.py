"""Script tasks: assignments in the safe expression language, run in order and applied
together; anything else is never executed."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.definition.scripts import parse_assignments, split_statements
from wfengine.runtime.history import ScriptAssigned


def _scripted(script: str, **fields: str) -> PackageBuilder:
    pb = PackageBuilder("pkg", script="text/javascript")
    p = pb.process("main")
    for name, type_ in fields.items():
        p.data_field(name, type_)
    p.activity("calc", script=script).activity("after")
    p.transition("calc", "after")
    return pb


def test_assignments_run_in_order_and_are_audited(engine: Engine) -> None:
    script = 'var total = price * qty;\ntotal = total + 1; label = "n=" + qty'
    iid = run(engine, _scripted(script), data={"price": 2.5, "qty": 4})
    inst = engine.instance(iid)
    assert inst.state is ProcessState.COMPLETED
    assert (inst.data["total"], inst.data["label"]) == (11.0, "n=4")
    [assigned] = [x.payload for x in engine.audit(iid) if x.kind == "activity.script"]
    assert assigned == ScriptAssigned({"total": 11.0, "label": "n=4"})
    assert engine.trace(iid) == ["calc", "after"]


def test_a_sensitive_field_is_masked_in_the_trail(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("pin", "STRING", extended={"wfengine:sensitive": "true"})
    p.activity("calc", script="pin = '12' + '34'; shown = 1")
    iid = run(engine, pb)
    assert engine.instance(iid).data["pin"] == "1234"
    [assigned] = [x.detail for x in engine.audit(iid) if x.kind == "activity.script"]
    assert assigned == {"pin": "***", "shown": 1}


def test_a_failing_statement_assigns_nothing_and_retries_whole(engine: Engine) -> None:
    iid = run(engine, _scripted("a = 1; b = 10 / d"), data={"d": 0})
    [incident] = engine.incidents(iid)
    assert "calc" in (incident.activity_id or "") and "a" not in engine.instance(iid).data
    engine.set_data(iid, {"d": 5})
    engine.retry_incident(incident.id)
    inst = engine.instance(iid)
    assert (inst.data["a"], inst.data["b"], inst.state) == (1, 2.0, ProcessState.COMPLETED)


def test_code_that_is_not_assignments_is_never_run(engine: Engine) -> None:
    iid = run(engine, _scripted("from publisher import push\npush(content)"))
    [incident] = engine.incidents(iid)
    assert "('from publisher import push' is not one)" in incident.message
    assert engine.trace(iid) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("x = 1", [("x", "1")]),
        ("x = 1;\n\ny = 'a;b' ; z = f(1,\n 2);", [("x", "1"), ("y", "'a;b'"), ("z", "f(1,\n 2)")]),
        ('let s = "q\\"x;"', [("s", '"q\\"x;"')]),
        ("x == 1", None),
        ("x =", None),
        ("   ", None),
        ("1 = x", None),
    ],
)
def test_what_a_script_may_hold(text: str, found: list[tuple[str, str]] | None) -> None:
    assert parse_assignments(text) == found


def test_statements_split_outside_strings_and_brackets() -> None:
    assert split_statements("a = [1;2]; b = {'k': 'v;w'}") == ["a = [1;2]", "b = {'k': 'v;w'}"]
