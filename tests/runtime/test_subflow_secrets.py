"""A secret passed to a subflow stays secret in the called instance: a formal parameter that
takes its value from a field the caller marks ``wfengine:sensitive`` is hidden in the called
instance's audit trail and incidents as the caller's field is in the caller's, on every store
and for the instance's whole life."""

from __future__ import annotations

import json

from tests.runtime.conftest import run
from wfengine.applications.redaction import REDACTED
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql.serialize import instance_document
from wfengine.runtime.states import ProcessState

PIN = "s3cr3t-PIN-9876"
SECRET = {"wfengine:sensitive": "true"}


def _package(*, caller_marks: bool = True) -> PackageBuilder:
    """``main`` passes its ``card`` to ``check``, which passes it on to ``inner``: each called
    process takes it in a formal parameter it does not mark, waits for a person (so what
    follows runs in a later command, from the stored instance), then assigns from it and
    fails on part of it."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    inner = pb.process("inner")
    inner.param("code", "IN", "STRING")
    inner.data_field("n", "INTEGER")
    inner.activity("look", performer="clerk")
    inner.activity("mark", script="code = code + '!'")
    inner.activity("parse", script="n = int(code[3:])")
    inner.sequence("look", "mark", "parse")
    check = pb.process("check")
    check.param("pin", "INOUT", "STRING")
    check.data_field("digits", "INTEGER", initial="0")
    check.subflow("deeper", process="inner", args=["pin + ''"])
    check.activity("wait", performer="clerk")
    check.activity("count", script="digits = len(pin); pin = pin + '?'")
    check.sequence("deeper", "wait", "count")
    main = pb.process("main")
    main.data_field("card", "STRING", extended=SECRET if caller_marks else None)
    main.subflow("sf", process="check", args=["card"])
    main.activity("after", performer="clerk")
    main.sequence("sf", "after")
    return pb


def _called(engine: Engine, process_id: str) -> str:
    (summary,) = engine.instance_summaries(process_id=process_id)
    return summary.id


def _trail(engine: Engine, instance_id: str) -> str:
    return json.dumps([[e.kind, e.detail] for e in engine.audit(instance_id)], default=str)


def test_a_secret_passed_to_a_subflow_is_hidden_in_the_called_instances_trail(
    engine: Engine,
) -> None:
    iid = run(engine, _package(), data={"card": PIN})
    check, inner = _called(engine, "check"), _called(engine, "inner")
    created = [e.detail for e in engine.audit(check) if e.kind == "instance.created"]
    assert [{k: d[k] for k in ("version", "data")} for d in created] == [
        {"version": 1, "data": {"pin": REDACTED}}
    ]
    (look,) = engine.work_items(inner)
    engine.complete_work_item(look.id)  # the scripts run in later commands
    assert [e.detail for e in engine.audit(inner) if e.kind == "activity.script"] == [
        {"code": REDACTED}
    ]
    # a failure quoting part of the secret (``int(code[3:])``) hides that part too
    (incident,) = engine.incidents(inner)
    assert "invalid literal" in incident.message and REDACTED in incident.message
    engine.skip_incident(incident.id)
    (wait,) = engine.work_items(check)
    engine.complete_work_item(wait.id)
    scripts = [e.detail for e in engine.audit(check) if e.kind == "activity.script"]
    assert scripts == [{"digits": len(PIN), "pin": REDACTED}]  # a count is not the secret
    for instance_id in (iid, check, inner):
        assert "r3t" not in _trail(engine, instance_id), instance_id
    assert "r3t" not in repr([r.payload for r in engine.outbox.entries()])
    # the instances still hold and return the value itself
    assert engine.instance(inner).data["code"] == PIN + "!"
    assert engine.instance(check).data["pin"] == PIN + "?"
    assert engine.instance(iid).data["card"] == PIN + "?"
    assert engine.instance(check).state is ProcessState.COMPLETED


def test_a_subflow_given_no_secret_records_its_values(engine: Engine) -> None:
    """Only a value from a sensitive field is hidden: a plain caller's is recorded."""
    run(engine, _package(caller_marks=False), data={"card": PIN})
    check = _called(engine, "check")
    created = [e.detail for e in engine.audit(check) if e.kind == "instance.created"]
    assert [{k: d[k] for k in ("version", "data")} for d in created] == [
        {"version": 1, "data": {"pin": PIN}}
    ]


def test_the_stored_instance_keeps_which_fields_it_hides_only_when_there_are_some(
    engine: Engine,
) -> None:
    iid = run(engine, _package(), data={"card": PIN})
    store = engine.store
    caller, check = store.instance(iid), store.instance(_called(engine, "check"))
    inner = store.instance(_called(engine, "inner"))
    assert check.sensitive_extra == {"pin"} and inner.sensitive_extra == {"code"}
    assert check.sensitive_fields == {"pin"} and caller.sensitive_fields == {"card"}
    assert instance_document(check)["sensitive"] == ["pin"]
    assert "sensitive" not in instance_document(caller)


def test_an_application_call_knows_which_of_its_parameters_carry_such_a_secret() -> None:
    """What a called instance's application calls hide besides their spec's secrets: the
    parameters whose expression reads such a field, or that write to one."""
    from wfengine.applications.specs import ParamSpec, ToolSpec
    from wfengine.definition.model import ParameterMode
    from wfengine.definition.reading import ReadKind
    from wfengine.runtime.evaluation import CompiledExpression

    def param(formal: str, reads: str | None, target: str | None = None) -> ParamSpec:
        value = None
        if reads is not None:
            names = frozenset({reads})
            value = CompiledExpression(reads, "", lambda v, n: None, names, ReadKind.EXPRESSION)
        return ParamSpec(formal, ParameterMode.INOUT, None, False, False, value, target)

    params = (param("a", "pin"), param("b", "other"), param("c", None, "pin"), param("d", None))
    spec = ToolSpec("app", None, 0, params)
    assert spec.secret_formals(frozenset({"pin"})) == {"a", "c"}


def test_the_called_instances_calls_work_items_and_data_changes_hide_the_secret(
    engine: Engine,
) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.application("app", params=[("x", "IN", "STRING")])
    c = pb.process("check")
    c.param("pin", "INOUT", "STRING")
    c.activity("tool", tool="app", args=["pin"])
    c.activity("a", performer="clerk")
    c.sequence("tool", "a")
    p = pb.process("main")
    p.data_field("card", "STRING", extended=SECRET)
    p.subflow("sf", process="check", args=["card"])

    def app(x: str) -> None:
        raise RuntimeError(f"bad {x}")

    engine.applications.register("app", app)
    engine.deploy(pb.build())
    engine.start_process("main", {"card": PIN})
    (check,) = [s.id for s in engine.instance_summaries(process_id="check")]
    invoked = [e.detail for e in engine.audit(check) if e.kind == "application.invoked"]
    assert invoked[0]["inputs"] == {"x": REDACTED}
    engine.set_data(check, {"pin": PIN + "?"})
    (incident,) = engine.incidents(check)
    engine.skip_incident(incident.id)
    (item,) = engine.work_items(check)
    engine.complete_work_item(item.id, {"pin": PIN + "3"})
    trail = json.dumps([e.detail for e in engine.audit(check)], default=str)
    assert "r3t" not in trail
