"""An asynchronous subflow passing an expression (``r + 1``) for an INOUT formal was refused at
deploy, "it must be the name of a data field or formal parameter to receive the result", beside
the warning that an asynchronously called process returns nothing: the caller receives no result,
so nothing needs a receiver. The expression's value now goes in, as for an IN formal."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder
from wfengine.definition.validation import validate


def _package(execution: str, actual: str = "r + 1", mode: str = "INOUT") -> PackageBuilder:
    pb = PackageBuilder("pkg")
    main = pb.process("main")
    main.data_field("r", "INTEGER", initial="1")
    main.subflow("call", process="child", args=[actual], execution=execution)
    main.activity("after", performer="boss")
    main.transition("call", "after")
    child = pb.process("child", params=[("x", mode, "INTEGER")])
    child.activity("w", performer="clerk")
    return pb


def test_an_asynchronous_call_passes_an_expression_to_an_inout_formal(engine: Engine) -> None:
    package = _package("ASYNCHR").build()
    found = {(d.severity.value, d.code) for d in validate(package)}
    assert ("error", "parameter-mode") not in found
    assert ("warning", "parameter-mode") in found  # (its values never come back: said once)
    engine.deploy(package)
    caller = engine.start_process("main")
    [child] = [s for s in engine.instance_summaries() if s.process_id == "child"]
    assert engine.instance(child.id).data["x"] == 2
    assert engine.instance(caller).data["r"] == 1


def test_a_synchronous_call_still_needs_a_receiver() -> None:
    found = [d for d in validate(_package("SYNCHR").build()) if d.code == "parameter-mode"]
    assert [d.severity.value for d in found] == ["error"]
    assert "to receive the result" in found[0].message


def test_an_asynchronous_call_s_actual_is_checked_as_an_expression() -> None:
    """What no longer needs a receiver is read as what goes in: a name the caller lacks is the
    warning an IN actual gets, not silence."""
    found = [(d.severity.value, d.code) for d in validate(_package("ASYNCHR", "zz").build())]
    assert ("warning", "expression-unknown-name") in found
    assert ("error", "undefined-data-field") not in found


def test_an_asynchronous_call_s_expression_for_an_out_formal_is_said_never_evaluated(
    engine: Engine,
) -> None:
    """An OUT formal takes no value in: the child starts with it unset, and the caller is told
    so rather than refused (a call that returns nothing needs no receiver)."""
    package = _package("ASYNCHR", "r + 1", "OUT").build()
    said = [d for d in validate(package) if d.code == "parameter-mode"]
    assert {d.severity.value for d in said} == {"warning"}
    assert any("never evaluated" in d.message for d in said)
    engine.deploy(package)
    engine.start_process("main")
    [child] = [s for s in engine.instance_summaries() if s.process_id == "child"]
    assert engine.instance(child.id).data["x"] is None


def test_an_asynchronous_call_s_out_actual_naming_a_hyphenated_field_is_no_expression() -> None:
    """An OUT actual is a name, never evaluated: a field id with a hyphen (XPDL 1.0 files have
    them) is not read as a subtraction of unknown names."""
    pb = PackageBuilder("pkg")
    main = pb.process("main")
    main.data_field("due-date", "INTEGER")
    main.subflow("call", process="child", args=["due-date"], execution="ASYNCHR")
    pb.process("child", params=[("x", "OUT", "INTEGER")]).activity("w", performer="clerk")
    found = [(d.code, d.message) for d in validate(pb.build())]
    assert not [m for code, m in found if code == "expression-unknown-name"]
