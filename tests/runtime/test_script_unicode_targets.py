"""A script task assigning to a name with a non-ASCII letter (``größe = x + 41``, ``café = 1``,
``名前 = 'a'``) was "not made of assignments" (``script-unsupported``): the whole script never
ran, though expressions read ``größe`` and an XPDL ``Assignment`` took it as a target. A target
is now any identifier an expression reads as that name; one Python would read as another (a
decomposed ``café``, ``ﬁle``) is still no target, and the finding says why. A field's Name in
any script stands for its field as an ASCII one does."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, ProcessState, validate
from wfengine.definition.scripts import parse_assignments, unsupported_reason


def test_targets_in_any_script_are_assignments() -> None:
    assert parse_assignments("größe = 1") == [("größe", "1")]
    assert parse_assignments("x = 1; café = x\n名前 = 'a'") == [
        ("x", "1"),
        ("café", "x"),
        ("名前", "'a'"),
    ]


def test_what_is_no_name_is_still_no_target() -> None:
    for text in ("prix_€ = 1", "a.b = 1", "x += 1", "x == 1", "1x = 2"):
        assert parse_assignments(text) is None, text


def test_a_target_python_would_read_as_another_name_says_why() -> None:
    assert parse_assignments("cafe\u0301 = 1") is None
    reason = unsupported_reason("cafe\u0301 = 1")
    assert reason is not None and "write it composed (Unicode NFC)" in reason
    reason = unsupported_reason("\ufb01le = 1")
    assert reason is not None and "write 'file' plainly" in reason


@pytest.mark.parametrize("script", ["python", "text/javascript", "java"])
def test_a_script_assigning_a_non_ascii_name_runs(script: str) -> None:
    pb = PackageBuilder("pkg", script=script)
    p = pb.process("main")
    p.data_field("größe", "INTEGER")
    p.data_field("x", "INTEGER")
    p.activity("calc", script="x = 1; größe = x + 41").activity("after")
    p.transition("calc", "after")
    package = pb.build()
    assert not [d for d in validate(package) if d.code == "script-unsupported"]
    with Engine() as engine:
        engine.deploy(package)
        iid = engine.start_process("main")
        inst = engine.instance(iid)
        assert inst.state is ProcessState.COMPLETED, engine.incidents(iid)
        assert dict(inst.data) == {"größe": 42, "x": 1}


def test_a_non_ascii_name_stands_for_its_field() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("_u1", "INTEGER", name="Größe", initial="4")
    p.activity("calc", script="Größe = Größe * 10").route("r")
    p.activity("big").activity("small").transition("calc", "r")
    p.transition("r", "big", condition="Größe > 5").transition("r", "small", otherwise=True)
    with Engine() as engine:
        engine.deploy(pb.build())
        iid = engine.start_process("main")
        assert engine.instance(iid).data["_u1"] == 40, engine.incidents(iid)
        assert engine.trace(iid) == ["calc", "r", "big"]
