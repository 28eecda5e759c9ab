"""An OUT parameter passed to a name with a non-ASCII letter (``größe``, or a field's Name
``Maß``) was refused at deploy (``parameter-mode``: "must be the name of a data field"), though
expressions read the name, and an application taking its actuals as given got ``größe`` as an
IN ``arg1`` and never returned into it. A plain name (what receives a result, what a performer
names) is now any identifier an expression reads as written
(:func:`~wfengine.definition.reading.is_identifier`), still with an XPDL Id's ``.`` and ``-``;
a spelling Python reads as another name (``ﬁle``, a decomposed ``café``) is still none."""

from __future__ import annotations

import pytest

from wfengine import DeployError, Engine, PackageBuilder, validate
from wfengine.definition.checks.context import is_plain_name
from wfengine.definition.model import Package, ParameterMode
from wfengine.definition.parameters import implied_formals
from wfengine.runtime.compiler import compile_process


def _call(out: str, *, out_type: str = "INTEGER") -> Package:
    """``calc(n)`` returning ``out`` (an INTEGER unless ``out_type``) into the actual ``out``;
    the process has the fields ``n`` (2), ``größe`` and ``_u1`` (Name ``Maß``)."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="2").data_field("größe", "INTEGER")
    p.data_field("_u1", "INTEGER", name="Maß")
    p.application("calc", params=[("n", "IN", "INTEGER"), ("out", "OUT", out_type)])
    p.activity("call", tool="calc", args=["n", out]).activity("after")
    p.transition("call", "after")
    return pb.build()


@pytest.mark.parametrize(("actual", "field"), [("größe", "größe"), ("Maß", "_u1")])
def test_an_out_parameter_to_a_non_ascii_name_deploys_and_returns_there(
    actual: str, field: str
) -> None:
    package = _call(actual)
    assert [d.code for d in validate(package) if d.severity.name == "ERROR"] == []
    with Engine() as engine:
        engine.applications.register("calc", lambda n: {"out": n * 21})
        engine.deploy(package, strict=True)
        iid = engine.start_process("main")
        assert engine.instance(iid).data[field] == 42, engine.incidents(iid)
        assert engine.trace(iid) == ["call", "after"]


def test_the_types_of_a_non_ascii_receiver_are_checked() -> None:
    found = [d.message for d in validate(_call("größe", out_type="STRING"))]
    assert any("to 'größe' (INTEGER)" in m for m in found if "parameter 'out'" in m), found


def test_a_name_python_reads_as_another_still_receives_nothing() -> None:
    found = [d for d in validate(_call("\ufb01le")) if d.code == "parameter-mode"]
    assert len(found) == 1
    with pytest.raises(DeployError, match=r"write 'file' plainly"):
        compile_process(_call("\ufb01le"), _call("\ufb01le").workflow_processes[0])


def test_plain_names_are_identifiers_in_any_script_or_xpdl_ids() -> None:
    for name in ("größe", " 名前 ", "Maß_2", "order-id", "sales.manager", "x", "_a"):
        assert is_plain_name(name), name
    for name in ("", "-x", ".x", "a + b", "1x", "prix_€", "\ufb01le", "cafe\u0301", "f(x)"):
        assert not is_plain_name(name), name


def test_an_application_taking_actuals_as_given_names_a_non_ascii_actual_by_position() -> None:
    """Kept as it was: deployments stored by an earlier wfengine call such an application
    with ``arg1`` for ``größe``, and a host's callable is written for that; naming it
    ``größe`` now would fail every instance of them (the review of e20c06e)."""
    [first, second] = implied_formals(("größe", "n"))
    assert (first.id, first.mode) == ("arg1", ParameterMode.IN)
    assert (second.id, second.mode) == ("n", ParameterMode.INOUT)


def test_a_subflow_returns_into_a_non_ascii_field() -> None:
    pb = PackageBuilder("pkg")
    child = pb.process("child")
    child.param("r", "OUT", "INTEGER")
    child.activity("s", script="r = 42")
    main = pb.process("main")
    main.data_field("größe", "INTEGER")
    main.subflow("call", process="child", args=["größe"])
    package = pb.build()
    assert [d.code for d in validate(package)] == []
    with Engine() as engine:
        engine.deploy(package, strict=True)
        iid = engine.start_process("main")
        assert engine.instance(iid).data["größe"] == 42, engine.incidents(iid)


def test_a_non_ascii_performer_naming_no_participant_is_reported() -> None:
    pb = PackageBuilder("pkg")
    pb.participant("Prüfer")
    p = pb.process("main")
    p.activity("a", performer="Prüfer").activity("b", performer="Prüferin")
    p.transition("a", "b")
    found = [d.message for d in validate(pb.build()) if d.code == "undefined-participant"]
    assert found == [
        "activity 'b' in process 'main' has performer 'Prüferin', which is no participant "
        "of the process or package"
    ]
