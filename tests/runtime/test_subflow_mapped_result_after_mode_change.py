"""A child whose DataMappings formal changed Mode, started by an engine before the Modes were
held to, gives back what its caller was deployed to take (as a positional call's does).

Before, its completion was an incident "nothing was written" for any changed Mode, and its
people's work was lost (a retry starts a new child, which the changed Mode refuses at once).
Now a formal the caller mapped IN gives nothing back, and only a value the caller mapped OUT
that the child's version declares IN is still an incident.
"""

from __future__ import annotations

import pytest

from tests.runtime.test_subflow_mapped_formals import V1, _call_after, _child, _package
from tests.runtime.test_subflow_positional_modes import started_by_an_engine_before_the_modes
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _child_done(engine: Engine, monkeypatch: pytest.MonkeyPatch, v2: list[tuple[str, str]]) -> str:
    """``order`` calls ``ship`` version ``v2``, started by an engine before the checks; its
    person sets ``bill_address`` and ``label``; the child completes (by this engine)."""
    with started_by_an_engine_before_the_modes(monkeypatch):
        order = _call_after(engine, _package(v2))
    child = _child(engine)
    assert child is not None
    (item,) = engine.work_items(child)
    engine.complete_work_item(item.id, {"bill_address": "Rome", "label": "L-7"})
    assert engine.instance(child).state is ProcessState.COMPLETED
    return order


def test_a_formal_mapped_in_and_now_inout_gives_nothing_back(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = _child_done(engine, monkeypatch, [V1[0], ("bill_address", "INOUT"), V1[2]])
    assert engine.incidents(order) == []
    done = engine.instance(order)
    assert done.state is ProcessState.COMPLETED
    assert (done.data["bill_to"], done.data["label"]) == ("London", "L-7")


def test_a_formal_mapped_out_and_now_in_is_still_an_incident(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = _child_done(engine, monkeypatch, [*V1[:2], ("label", "IN")])
    (incident,) = engine.incidents(order)
    assert "'label' as OUT" in incident.message and "nothing was written" in incident.message
    assert engine.instance(order).data["label"] is None
