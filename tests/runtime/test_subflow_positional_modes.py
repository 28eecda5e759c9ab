"""A subflow whose ActualParameters bind by position holds to the Mode each formal had when
the caller was deployed, as one whose DataMappings name the formals does.

The caller starts the called process's newest version. One that made the caller's IN formal
OUT wrote its null result over the caller's field (500 became None), and one that made an
INOUT formal IN gave nothing back, with no word. Now, for a called process of the caller's own
package, a formal whose Mode changed is an incident on the subflow activity naming the
actual, the formal and the version, and nothing starts; a count of formals that no longer
fits says the version and that nothing started, as its siblings do. A child an engine before
these checks started with a changed Mode gives back what the caller was deployed to take:
nothing for a formal it passed IN, an incident only where it expected a value the child's
version does not give (before, every such child's result was an incident, its work lost).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import FormalParameter, Package
from wfengine.runtime.compiled import CSubflow
from wfengine.runtime.engine import Engine
from wfengine.runtime.navigation import subflows
from wfengine.runtime.navigation.subflows import Bound, bindings
from wfengine.runtime.states import ProcessState


def _package(params: list[tuple[str, str]], *, caller: bool = True) -> Package:
    """Package ``pkg``: ``main`` (with ``caller``) waits at ``first``, then passes its
    ``amount`` (500) by position to ``child``, whose formals are ``params`` (Id, Mode)."""
    pb = PackageBuilder("pkg")
    if caller:
        m = pb.process("main")
        m.data_field("amount", "INTEGER", initial="500")
        m.activity("first", performer="boss")
        m.subflow("call", process="child", args=["amount"]).activity("after", performer="boss")
        m.transition("first", "call")
        m.transition("call", "after")
    c = pb.process("child", params=[(f, mode, "INTEGER") for f, mode in params])
    c.activity("w", performer="clerk")
    return pb.build()


def _reach_the_call(engine: Engine, v1: str, v2: list[tuple[str, str]]) -> str:
    """Start ``main`` against ``child`` whose ``x`` is ``v1``, deploy ``child`` with the
    formals ``v2`` (version 2), then let ``main`` reach its call."""
    engine.deploy(_package([("x", v1)]))
    main = engine.start_process("main")
    engine.deploy(_package(v2, caller=False))
    (item,) = engine.work_items(main)
    engine.complete_work_item(item.id)
    return main


@pytest.mark.parametrize(("v1", "v2"), [("IN", "OUT"), ("INOUT", "IN"), ("IN", "INOUT")])
def test_a_formal_whose_mode_changed_holds_a_positional_call(
    engine: Engine, v1: str, v2: str
) -> None:
    main = _reach_the_call(engine, v1, [("x", v2)])
    assert engine.instances(process_id="child") == []
    (incident,) = engine.incidents(main)
    assert incident.activity_id == "call"
    assert incident.message.endswith(
        f"the subflow passes 'amount' (actual parameter 1) to formal parameter 'x' as {v1}, "
        f"as the caller was deployed with it; process 'child' version 2 declares it {v2}; "
        "nothing was started"
    )
    assert engine.instance(main).data["amount"] == 500


def test_the_call_goes_on_once_the_mode_is_mended(engine: Engine) -> None:
    main = _reach_the_call(engine, "IN", [("x", "OUT")])
    (incident,) = engine.incidents(main)
    engine.deploy(_package([("x", "IN")], caller=False))
    engine.retry_incident(incident.id)
    (child,) = engine.instances(process_id="child")
    assert engine.instance(child.id).version == 3
    assert engine.instance(child.id).data == {"x": 500}
    (item,) = engine.work_items(child.id)
    engine.complete_work_item(item.id)
    assert engine.instance(child.id).state is ProcessState.COMPLETED
    assert engine.instance(main).data["amount"] == 500


def test_a_changed_count_names_the_version_and_that_nothing_started(engine: Engine) -> None:
    main = _reach_the_call(engine, "IN", [("x", "IN"), ("y", "IN")])
    assert engine.instances(process_id="child") == []
    (incident,) = engine.incidents(main)
    assert incident.message.endswith(
        "process 'child' version 2 has 2 formal parameters, the subflow gives 1; "
        "nothing was started"
    )


def test_one_formal_left_is_named_in_the_singular(engine: Engine) -> None:
    """(It said "version 2 has 1 formal parameters".)"""
    pb = PackageBuilder("pkg")
    m = pb.process("main")
    m.data_field("amount", "INTEGER", initial="500")
    m.activity("first", performer="boss").subflow("call", process="child", args=["1", "2"])
    m.transition("first", "call")
    pb.process("child", params=[("x", "IN", "INTEGER"), ("y", "IN", "INTEGER")])
    engine.deploy(pb.build())
    main = engine.start_process("main")
    engine.deploy(_package([("x", "IN")], caller=False))
    (item,) = engine.work_items(main)
    engine.complete_work_item(item.id)
    (incident,) = engine.incidents(main)
    assert incident.message.endswith(
        "process 'child' version 2 has 1 formal parameter, the subflow gives 2; nothing was started"
    )


def test_a_call_compiled_without_modes_binds_by_position_as_before() -> None:
    """Modes not known (a process of another package): no Mode is held to."""
    sub = CSubflow("child", True, (None,), ("amount",), "lib")
    (child,) = _package([("x", "OUT")], caller=False).workflow_processes
    formals = child.formal_parameters
    assert bindings(sub, formals, 2) == [(formals[0], 0)]


@contextmanager
def started_by_an_engine_before_the_modes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Subflows started meanwhile bind as an engine before the Modes were held to: by no
    Mode (the call's compiled Modes not known)."""
    real = subflows.bindings

    def unchecked(
        sub: CSubflow, formals: Sequence[FormalParameter], version: int, *, started: bool = False
    ) -> Bound | str:
        return real(replace(sub, modes=(None,) * len(sub.actuals)), formals, version)

    with monkeypatch.context() as patched:
        patched.setattr(subflows, "bindings", unchecked)
        yield


def _child_done(engine: Engine, monkeypatch: pytest.MonkeyPatch, v1: str, v2: str) -> str:
    """``main`` passes ``amount`` as ``v1``; an engine before the checks starts ``child``
    version 2, which declares ``x`` ``v2`` (set to 7 by its person); the child completes
    (by this engine)."""
    with started_by_an_engine_before_the_modes(monkeypatch):
        main = _reach_the_call(engine, v1, [("x", v2)])
    (child,) = engine.instances(process_id="child")
    assert engine.instance(child.id).version == 2
    (item,) = engine.work_items(child.id)
    engine.complete_work_item(item.id, {"x": 7})
    assert engine.instance(child.id).state is ProcessState.COMPLETED
    return main


@pytest.mark.parametrize("v2", ["INOUT", "OUT"])
def test_a_child_started_before_gives_nothing_back_for_an_in_formal(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, v2: str
) -> None:
    main = _child_done(engine, monkeypatch, "IN", v2)
    assert engine.incidents(main) == []
    assert engine.instance(main).data["amount"] == 500  # the caller expected nothing back
    assert [w.activity_id for w in engine.work_items(main)] == ["after"]


@pytest.mark.parametrize(("v1", "v2"), [("OUT", "INOUT"), ("INOUT", "OUT")])
def test_a_child_started_before_gives_back_what_the_caller_expects(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, v1: str, v2: str
) -> None:
    main = _child_done(engine, monkeypatch, v1, v2)
    assert engine.incidents(main) == []
    assert engine.instance(main).data["amount"] == 7


def test_a_child_started_before_that_gives_no_expected_value_is_an_incident(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = _child_done(engine, monkeypatch, "INOUT", "IN")
    (incident,) = engine.incidents(main)
    assert incident.activity_id == "call"
    assert (
        "to formal parameter 'x' as INOUT, as the caller was deployed with it; process "
        "'child' version 2 declares it IN; nothing was written" in incident.message
    )
    assert engine.instance(main).data["amount"] == 500
