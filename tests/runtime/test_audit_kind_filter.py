"""A kind that is no kind of audit event is refused by every filter by kind, naming the
closest kind, as ``wfengine audit --kind`` refuses it, instead of an empty result that reads
as "nothing happened" (``work_item.complete``, ``WORK_ITEM_COMPLETED``)."""

from __future__ import annotations

import io

import pytest

from wfengine import Engine, PackageBuilder, iter_events, write_xes
from wfengine.runtime.audit_kinds import AUDIT_KINDS, unknown_kind
from wfengine.runtime.history import EventKind


@pytest.fixture
def engine() -> Engine:
    pb = PackageBuilder("desk")
    pb.process("t").activity("a", performer="clerk")
    e = Engine()
    e.deploy(pb.build())
    iid = e.start_process("t")
    [item] = e.work_items(iid)
    e.complete_work_item(item.id)
    return e


@pytest.mark.parametrize(
    "kind",
    [
        "work_item.complete",
        "WORK_ITEM_COMPLETED",
        "Work_Item.Completed",
        ["work_item.completed", "work_item.complet"],
    ],
)
def test_a_misspelt_kind_is_refused_naming_the_closest(engine: Engine, kind: object) -> None:
    says = r"'.*' is no kind of audit event \(did you mean work_item\.completed\?\)"
    with pytest.raises(ValueError, match="audit_events: " + says):
        engine.audit_events(kind=kind)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="iter_events: " + says):  # (said as it is made)
        list(iter_events(engine, kind=kind))


def test_the_xes_export_refuses_it_too(engine: Engine) -> None:
    out = io.BytesIO()
    with pytest.raises(ValueError, match=r"write_xes: 'activity\.start' is no kind.*started\?"):
        write_xes(engine, out, kind="activity.start")
    assert out.getvalue() == b""


def test_the_message_lists_the_kinds() -> None:
    why = unknown_kind("nothing.like.it")
    assert why is not None
    assert "did you mean" not in why
    assert why.endswith("the kinds are " + ", ".join(AUDIT_KINDS))


@pytest.mark.parametrize("kind", [5, [5], [None]])
def test_a_kind_that_is_no_string_is_a_type_error(engine: Engine, kind: object) -> None:
    with pytest.raises(TypeError, match="audit_events: kind is a kind of audit event"):
        engine.audit_events(kind=kind)  # type: ignore[arg-type]


def test_kinds_still_select(engine: Engine) -> None:
    assert [e.kind for e in engine.audit_events(kind="work_item.completed")] == [
        "work_item.completed"
    ]
    both = engine.audit_events(kind=[EventKind.WORK_ITEM_OFFERED, "work_item.completed"])
    assert [e.kind for e in both] == ["work_item.offered", "work_item.completed"]
    assert engine.audit_events(kind=[]) == engine.audit_events()
    assert len(list(iter_events(engine, kind="instance.created"))) == 1
