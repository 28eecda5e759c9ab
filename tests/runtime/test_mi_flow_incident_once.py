"""A parallel multi-instance activity whose Complex flow condition fails (a field not set yet):
each instance's completion filed an incident of its own, three for one activity; retrying the
first (the data fixed) routed the flow and closed the activity, and retrying another raised a
bare KeyError (on the SQL store it stayed open for ever; on the memory store the failed retry
had resolved it anyway). The activity now has one incident; one that outlived its activity
(filed by an engine before) is resolved by its activity's close, and by its retry."""

from __future__ import annotations

import dataclasses

import pytest

from tests.runtime.conftest import complete_all, run
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.errors import IllegalStateError
from wfengine.runtime.engine import Engine
from wfengine.runtime.history import EventKind
from wfengine.runtime.states import ProcessState


def _review(engine: Engine) -> str:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("limit", "INTEGER")
    loop = multi_instance("3", flow="Complex", complex_flow_condition="completed >= limit")
    p.activity("review", performer="clerk", loop=loop)
    p.activity("decide", performer="clerk").transition("review", "decide")
    return run(engine, pb)


def test_a_failing_mi_flow_condition_files_one_incident_for_the_activity(engine: Engine) -> None:
    iid = _review(engine)
    assert complete_all(engine, iid, "review") == 3
    incidents = engine.incidents(iid)
    assert len(incidents) == 1  # was three, one per instance
    [incident] = incidents
    assert incident.activity_id == "review" and incident.operation == "leave"
    engine.set_data(iid, {"limit": 2})
    engine.retry_incident(incident.id)
    assert engine.incidents(iid) == []
    assert [w.activity_id for w in engine.work_items(iid)] == ["decide"]
    complete_all(engine, iid)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def _legacy_incidents(engine: Engine, iid: str, n: int) -> list[str]:
    """``n`` more open incidents on the activity's container, as an engine before one incident
    per activity left them (memory store: its records, which the commands use, are these)."""
    inst = engine.store.instance(iid)
    first = next(i for i in inst.incidents.values() if not i.resolved)
    ids = []
    for k in range(n):
        extra = dataclasses.replace(first, id=f"{first.id}-old{k}")
        inst.incidents[extra.id] = extra
        engine.store._incidents[extra.id] = extra  # type: ignore[attr-defined]
        ids.append(extra.id)
    return ids


def test_the_incidents_an_older_engine_left_are_resolved_as_the_activity_closes() -> None:
    with Engine() as engine:
        iid = _review(engine)
        complete_all(engine, iid, "review")
        _legacy_incidents(engine, iid, 2)
        [first, *_] = engine.incidents(iid)
        engine.set_data(iid, {"limit": 2})
        engine.retry_incident(first.id)  # routes on: the activity closes
        assert engine.incidents(iid) == []  # the other two stayed open


def test_retrying_an_incident_whose_activity_closed_resolves_it() -> None:
    with Engine() as engine:
        iid = _review(engine)
        complete_all(engine, iid, "review")
        inst = engine.store.instance(iid)
        first = next(i for i in inst.incidents.values() if not i.resolved)
        engine.set_data(iid, {"limit": 2})
        engine.retry_incident(first.id)  # the activity closes (its instance record retired)
        late = dataclasses.replace(first, id="inc-late", resolved=False)
        inst = engine.store.instance(iid)
        inst.incidents[late.id] = late
        engine.store._incidents[late.id] = late  # type: ignore[attr-defined]
        engine.retry_incident(late.id)  # was KeyError 'pi-1:1'
        assert engine.incidents(iid) == []
        retried = [e for e in engine.audit(iid) if e.kind == EventKind.INCIDENT_RETRIED]
        assert len(retried) == 2
        assert [w.activity_id for w in engine.work_items(iid)] == ["decide"]  # nothing redone


def test_skipping_an_incident_whose_activity_closed_is_a_state_error_naming_it() -> None:
    with Engine() as engine:
        iid = _review(engine)
        complete_all(engine, iid, "review")
        inst = engine.store.instance(iid)
        first = next(i for i in inst.incidents.values() if not i.resolved)
        engine.set_data(iid, {"limit": 2})
        engine.retry_incident(first.id)
        late = dataclasses.replace(first, id="inc-late", resolved=False)
        inst = engine.store.instance(iid)
        inst.incidents[late.id] = late
        engine.store._incidents[late.id] = late  # type: ignore[attr-defined]
        with pytest.raises(IllegalStateError, match=r"which closed.*retry it to clear it"):
            engine.skip_incident(late.id)  # was KeyError 'pi-1:1'
        engine.retry_incident(late.id)
        assert engine.incidents(iid) == []
