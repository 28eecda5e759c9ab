"""The work of a suspended instance stays on a user's work list, marked ``suspended``: before,
it was listed exactly like live work (``Engine.work_items_of``, the WAPI work list) and every
action on it was then refused with IllegalStateError, with nothing on the list to say why.
The mark is read for the whole listing at once, not once per item."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import sqlalchemy as sa

from wfengine import Engine, PackageBuilder
from wfengine.runtime.snapshots import WorkItemSnapshot
from wfengine.runtime.sql.store import SqlStore
from wfengine.wapi import connect


def _deploy(engine: Engine) -> None:
    pb = PackageBuilder("p")
    pb.participant("clerk")
    pb.process("task").activity("w", performer="clerk")
    # a synchronous subflow: suspended along with its caller
    top = pb.process("top")
    top.subflow("call", process="task").activity("end").transition("call", "end")
    engine.deploy(pb.build())


def _marks(items: list[WorkItemSnapshot]) -> dict[str, bool]:
    return {w.instance_id: w.suspended for w in items}


def _every_view(engine: Engine, user: str) -> list[dict[str, bool]]:
    """The marks of ``user``'s work as the engine's listings and the WAPI hand it out."""
    with connect(engine, user).open_work_list() as work_list:
        fetched = list(work_list)
    mine = engine.work_items_of(user)
    return [
        _marks(mine),
        _marks(engine.work_items()),
        _marks([engine.work_item(w.id) for w in mine]),
        _marks(fetched),
    ]


def test_the_work_of_a_suspended_instance_is_listed_marked(org_engine: Engine) -> None:
    _deploy(org_engine)
    live, paused = org_engine.start_process("task"), org_engine.start_process("task")
    org_engine.suspend(paused)
    for marks in _every_view(org_engine, "alice"):
        assert marks == {live: False, paused: True}
    (item,) = org_engine.work_items(paused)
    assert item.suspended and org_engine.work_item(item.id).suspended

    org_engine.resume(paused)
    for marks in _every_view(org_engine, "alice"):
        assert marks == {live: False, paused: False}
    org_engine.claim_work_item(item.id, "alice")  # resumed: acted on again
    assert org_engine.work_items_of("alice", state="allocated")[0].suspended is False


def test_a_subflow_suspended_with_its_caller_has_its_work_marked(org_engine: Engine) -> None:
    _deploy(org_engine)
    top, other = org_engine.start_process("top"), org_engine.start_process("task")
    org_engine.suspend(top)
    (called,) = (w for w in org_engine.work_items_of("alice") if w.instance_id != other)
    assert called.suspended and called.instance_id != top  # the subflow's own item
    assert [w.suspended for w in org_engine.work_items_of("alice") if w.instance_id == other] == [
        False
    ]
    org_engine.resume(top)
    assert not any(w.suspended for w in org_engine.work_items_of("alice"))


def test_a_listing_reads_the_marks_at_once_not_per_item(tmp_path: Any) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'wf.db'}")
    seen: list[str] = []
    with Engine(store=store) as engine:
        _deploy(engine)
        started = [engine.start_process("task") for _ in range(6)]
        for instance_id in started[::2]:
            engine.suspend(instance_id)
        sa.event.listen(store.sa_engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
        listed = engine.work_items_of("clerk")
    assert _marks(listed) == {iid: n % 2 == 0 for n, iid in enumerate(started)}
    reads_of_instances = [s for s in seen if "process_instances" in s]
    assert len(reads_of_instances) == 1, seen


def test_a_snapshot_pickled_before_the_mark_unpickles_unmarked() -> None:
    with Engine() as engine:
        _deploy(engine)
        engine.suspend(engine.start_process("task"))
        (item,) = engine.work_items()
    assert pickle.loads(pickle.dumps(item)) == item and item.suspended
    # what an older wfengine pickled: the fields before ``suspended``
    older = [getattr(item, f.name) for f in dataclasses.fields(item)][:-1]
    found = WorkItemSnapshot.__new__(WorkItemSnapshot)
    found.__setstate__(older)
    assert found == dataclasses.replace(item, suspended=False)
