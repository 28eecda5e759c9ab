"""The snapshots the engine hands out are frozen copies of its records: equal to a snapshot
built field by field, immune to later changes of the record, and refusing changes themselves
(they are made on every listing, so they are built without the dataclass's ``__init__``:
:func:`wfengine.runtime.snapshots.copy_snapshot`)."""

from __future__ import annotations

import dataclasses

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.runtime.jobs import Job
from wfengine.runtime.snapshots import (
    WORKED_OUT,
    JobSnapshot,
    WorkItemSnapshot,
    copy_snapshot,
    work_item_snapshot,
)
from wfengine.runtime.states import WorkItemState


def _offered(engine: Engine) -> str:
    pb = PackageBuilder("snap")
    pb.process("p").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    return engine.start_process("p")


def test_a_work_item_snapshot_is_a_frozen_copy_of_the_record() -> None:
    engine = Engine()
    iid = _offered(engine)
    (shown,) = engine.work_items(iid)
    record = engine.store.work_item(shown.id)
    built = WorkItemSnapshot(
        **{
            f.name: getattr(record, f.name)
            for f in dataclasses.fields(WorkItemSnapshot)
            if f.metadata != WORKED_OUT  # (not the record's: its instance's)
        }
    )
    assert shown == built and hash(shown) == hash(built) and type(shown) is WorkItemSnapshot
    assert (shown.instance_id, shown.activity_id, shown.state) == (
        iid,
        "answer",
        WorkItemState.OFFERED,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        shown.holder = "eve"  # type: ignore[misc]
    engine.claim_work_item(shown.id, "clerk")
    assert shown.holder is None and shown.state is WorkItemState.OFFERED  # a copy, not a view
    assert work_item_snapshot(record).holder == "clerk"
    assert dataclasses.replace(shown, holder="x").holder == "x"


def test_every_field_of_the_snapshot_comes_from_the_record(engine: Engine) -> None:
    iid = _offered(engine)
    (item,) = engine.work_items(iid)
    engine.claim_work_item(item.id, "clerk")
    engine.start_work_item(item.id, "clerk")
    (started,) = engine.work_items(iid)
    assert started.holder == "clerk" and started.state is WorkItemState.STARTED
    assert started.started_at is not None and started.created_at <= started.started_at


def test_a_job_snapshot_copies_its_fields() -> None:
    job = Job(id="job-1", kind="timer", instance_id="pi-1", due=None, seq=3)  # type: ignore[arg-type]
    shown = copy_snapshot(JobSnapshot, job)
    assert {f.name: getattr(shown, f.name) for f in dataclasses.fields(JobSnapshot)} == {
        f.name: getattr(job, f.name) for f in dataclasses.fields(JobSnapshot)
    }


@dataclasses.dataclass(frozen=True, slots=True)
class _Base:
    a: str
    b: int


@dataclasses.dataclass(frozen=True, slots=True)
class _Derived(_Base):
    """A snapshot class whose layout has its base's slots: no plain twin of it may become
    one (Python refuses the ``__class__`` change), so it is copied through its setters."""

    c: str
    d: bool = dataclasses.field(default=False, metadata=WORKED_OUT)


@dataclasses.dataclass(frozen=True, slots=True)
class _Plain:
    a: str
    b: int
    d: bool = dataclasses.field(default=False, metadata=WORKED_OUT)


@pytest.mark.parametrize("kind", [_Plain, _Derived])
def test_a_copy_is_the_snapshot_class_itself_frozen_whichever_way_it_is_made(kind: type) -> None:
    class Source:
        a, b, c, d = "x", 3, "y", True  # (d is worked out: never read from the source)

    shown = copy_snapshot(kind, Source())
    assert type(shown) is kind and shown.a == "x" and shown.b == 3 and shown.d is False
    assert shown == kind(**{f.name: getattr(shown, f.name) for f in dataclasses.fields(kind)})
    with pytest.raises(dataclasses.FrozenInstanceError):
        shown.a = "z"
    if kind is _Derived:
        assert shown.c == "y"
    assert copy_snapshot(kind, Source()) is not shown  # (a new copy each time)


def test_a_work_item_snapshot_pickles_as_one_built_by_its_constructor() -> None:
    import pickle

    engine = Engine()
    (shown,) = engine.work_items(_offered(engine))
    again = pickle.loads(pickle.dumps(shown))
    assert again == shown and type(again) is WorkItemSnapshot
