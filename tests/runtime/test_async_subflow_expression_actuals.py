"""An asynchronous subflow passing an expression (``r + 1``) for an INOUT formal was refused at
deploy, "it must be the name of a data field or formal parameter to receive the result", beside
the warning that an asynchronously called process returns nothing: the caller receives no result,
so nothing needs a receiver. The expression's value now goes in, as for an IN formal."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder
from wfengine.definition.validation import validate


def _package(execution: str, actual: str = "r + 1") -> PackageBuilder:
    pb = PackageBuilder("pkg")
    main = pb.process("main")
    main.data_field("r", "INTEGER", initial="1")
    main.subflow("call", process="child", args=[actual], execution=execution)
    main.activity("after", performer="boss")
    main.transition("call", "after")
    child = pb.process("child", params=[("x", "INOUT", "INTEGER")])
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
