"""The audit catalogue (``wfengine.runtime.history``): every kind the engine records is an
:class:`EventKind`, every detail reads back as its payload type, and nothing in the engine
records history by hand-written kind strings.

(That every event a behaviour test makes is catalogued is checked after each test that uses
the ``engine`` fixture: ``tests/runtime/conftest.py``.)
"""

from __future__ import annotations

import ast
import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import wfengine
from wfengine.applications.events import ApplicationFailed, ApplicationInvoked, ApplicationReturned
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import SchemaType
from wfengine.runtime import history
from wfengine.runtime.engine import Engine
from wfengine.runtime.history import MARKERS, PAYLOADS, EventKind, Payload, read_payload
from wfengine.runtime.note_events import AttachmentDeleted, CommentDeleted

SRC = Path(wfengine.__file__).parent

SAMPLES: list[Payload] = [
    history.InstanceCreated(3),
    history.InstanceCreated(3, {"amount": 12, "card": "***"}),
    history.InstanceStateChanged("closed.completed"),
    history.InstanceDataAssigned(("a", "b")),
    history.ScriptAssigned({"a": 1, "b": "***"}),
    history.MessageReceived("reply", ("answer",)),
    history.MessageKept("reply"),
    history.SignalReceived("go", ()),
    history.BoundaryFired("Timer", None, False),
    history.EventThrown("Error", "E1", "block"),
    history.ConditionFailed("name x is not defined"),
    history.MultiInstanceAdded(4, ("item",)),
    history.InstanceDataAssigned(("a", "b"), {"a": (None, 1), "b": ("***", "***")}),
    history.InstanceDeferred("job-1"),
    history.ActivityIterated(2),
    history.ActivityAborted(),
    history.ActivityAborted("ops-anna"),
    history.ActivityAborted(cause="event", event="stop", trigger="Message", name="stop"),
    history.ActivityAborted("ops-anna", cause="join", activity="j"),
    history.ActivityTerminated(),
    history.ActivityTerminated(cause="deadline", name="late"),
    history.ExceptionTaken("boom"),
    history.JoinDiscarded(2),
    history.MultiInstanceStarted(5),
    history.SubflowStarted("pi-2"),
    history.WorkItemOffered("wi-1"),
    history.WorkItemCompleted("wi-1"),
    history.WorkItemCancelled("wi-1"),
    history.ApplicationQueued("mail", "k/1/0", "job-2"),
    ApplicationInvoked("mail", 1, "k/1/0", {"to": "a@b"}),
    ApplicationInvoked("mail", 2, "k/1/0", {"to": "a@b"}, job="job-2"),
    ApplicationReturned("mail", 1, {"ok": True}),
    ApplicationFailed("mail", 1, "TimeoutError: slow", 0.5),
    ApplicationFailed("mail", 3, "TimeoutError: slow", None),
    history.ApplicationDiscarded("mail", None, "the instance was closed"),
    history.DeadlineFired("Late"),
    history.DeadlineUnhandled("Late"),
    history.DeadlineInvalid("not a duration"),
    history.IncidentOpened("application 'mail' raised ..."),
    history.IncidentRetried("inc-1"),
    history.IncidentAborted("inc-1"),
    history.IncidentSkipped("inc-1", {"x": 1}),
    history.IncidentSkipped("inc-1", {"x": 1}, take=("t1", "t2")),
    history.WorkItemCompleted("wi-1", "alice"),
    history.WorkItemCompleted("wi-1", None, {"verdict": "refund"}),
    history.WorkItemCompleted("wi-1", "alice", {"verdict": "refund"}),
    history.WorkItemAllocated("wi-1", "alice"),
    history.WorkItemStarted("wi-1", "alice"),
    history.WorkItemReleased("wi-1", "alice"),
    history.WorkItemDelegated("wi-1", "alice", "bob"),
    history.WorkItemReturned("wi-1", "bob", "alice"),
    history.WorkItemReassigned("wi-1", "carol", "bob", "alice"),
    history.WorkItemReassigned("wi-1", "carol", "bob", None),
    history.OperationRefused("wi-1", "claim", "mallory", "it is not offered to them"),
    history.OperationRefused("wi-1", "claim", "mallory", "it is not offered to them", "wi-1"),
    history.WorkItemSentBack("wi-2", "dan", "draft", "the amount is missing"),
    history.ReminderDue("wi-2", 3),
    history.WorkItemEscalated("wi-2", ("carol", "root")),
    history.WorkItemEscalated("wi-2", ("carol",), taken_from="alice"),
    CommentDeleted("cm-1", "root", "alice"),
    CommentDeleted("cm-1", "alice", "alice", "wi-1"),
    AttachmentDeleted("at-1", "root", "alice", "letter.txt"),
    AttachmentDeleted("at-1", "alice", "alice", "letter.txt", "wi-1"),
]


def test_every_kind_has_exactly_one_payload_type_or_none() -> None:
    assert set(PAYLOADS).isdisjoint(MARKERS)
    assert set(PAYLOADS) | MARKERS == set(EventKind)
    assert {type(p).KIND for p in SAMPLES} == set(PAYLOADS)


@pytest.mark.parametrize("payload", SAMPLES, ids=lambda p: f"{p.KIND}")
def test_a_stored_detail_reads_back_as_its_payload(payload: Payload) -> None:
    assert read_payload(payload.KIND, payload.detail()) == payload


def test_the_application_payloads_keep_the_detail_shapes_scripts_read() -> None:
    assert ApplicationInvoked("a", 1, "k", {}).detail() == {
        "application": "a",
        "attempt": 1,
        "key": "k",
        "inputs": {},
    }
    assert set(ApplicationInvoked("a", 1, "k", {}, job="j").detail()) == {
        "application",
        "attempt",
        "key",
        "inputs",
        "job",
    }
    assert set(ApplicationReturned("a", 1, {}).detail()) == {"application", "attempt", "outputs"}
    assert set(ApplicationFailed("a", 1, "e", None).detail()) == {
        "application",
        "attempt",
        "error",
        "retry_in",
    }


@pytest.mark.parametrize(
    "made",
    [
        lambda: ApplicationInvoked("a", 1, "k", {"n": 1}),
        lambda: ApplicationInvoked(application="a", attempt=1, key="k", inputs=1, job="j"),
        lambda: ApplicationReturned("a", 2, None),
        lambda: ApplicationReturned(outputs={"n": 2}, attempt=1, application="a"),
    ],
)
def test_the_hot_application_events_are_frozen_values_like_every_payload(made: Any) -> None:
    """The invoked and returned events set their slots themselves (they are made at every
    call): they still take keywords and defaults, compare and hash by value, and refuse
    changes, as the dataclasses of the other payloads do."""
    event = made()
    twin = made()
    assert event == twin
    values = "inputs" if isinstance(event, ApplicationInvoked) else "outputs"
    plain = dataclasses.replace(event, **{values: None})  # a dict of values hashes not
    assert hash(plain) == hash(dataclasses.replace(plain))
    assert dataclasses.replace(event, attempt=9).attempt == 9
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.attempt = 3
    assert read_payload(event.KIND, event.detail()) == event
    assert ApplicationInvoked("a", 1, "k", {}).job is None


def test_unknown_kinds_and_broken_details_are_refused() -> None:
    with pytest.raises(ValueError, match=r"unknown audit event kind 'activity\.teleported'"):
        read_payload("activity.teleported", None)
    with pytest.raises(KeyError):
        read_payload("instance.created", {"versoin": 1})
    assert read_payload("activity.started", None) is None


def test_the_audit_trail_reads_back_typed() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    p.activity("a", performer="clerk")
    with Engine() as engine:
        engine.deploy(pb.build())
        iid = engine.start_process("main")
        engine.set_data(iid, {"n": 2})
        (item,) = engine.work_items(instance_id=iid)
        engine.complete_work_item(item.id)
        payloads = [(ev.kind, ev.payload) for ev in engine.audit(iid)]
    assert payloads[0] == ("instance.created", history.InstanceCreated(1))
    assert ("instance.data", history.InstanceDataAssigned(("n",), {"n": (0, 2)})) in payloads
    assert ("work_item.offered", history.WorkItemOffered(item.id)) in payloads
    assert ("work_item.completed", history.WorkItemCompleted(item.id)) in payloads
    completed = history.InstanceStateChanged("closed.completed", "open.running")
    assert payloads[-1] == ("instance.state", completed)


def _appended_kind(node: ast.Call) -> Any:
    """What one ``<x>.changes.append(arg)`` records as its kind, when it is written inline."""
    (arg,) = node.args
    if isinstance(arg, ast.Tuple):
        return arg.elts[1]
    return None


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def test_nothing_records_history_with_a_kind_string_of_its_own() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "append"
                and isinstance(node.func.value, ast.Attribute | ast.Name)
                and getattr(node.func.value, "attr", getattr(node.func.value, "id", ""))
                == "changes"
            ):
                kind = _appended_kind(node)
                if isinstance(kind, ast.Constant | ast.JoinedStr):
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []


def test_now_is_not_part_of_a_payload() -> None:
    """When an event happened is the change's, not the payload's: one payload type per kind,
    whatever the clock."""
    at = datetime(2026, 1, 1, tzinfo=UTC)
    assert history.change(at, history.IncidentRetried("i"), "ai", "a") == (
        at,
        "incident.retried",
        "ai",
        "a",
        "i",
    )
    assert history.marker(at, EventKind.ACTIVITY_STARTED) == (
        at,
        "activity.started",
        None,
        None,
        None,
    )


def test_assigned_attributes_keep_old_and_new_values_masking_sensitive_ones() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("card", "STRING", extended={"wfengine:sensitive": "true"})
    p.data_field("when", "DATETIME")
    p.activity("a", performer="clerk")
    with Engine() as engine:
        engine.deploy(pb.build())
        iid = engine.start_process("main", {"card": "4111-1111"})
        stamp = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
        engine.set_data(iid, {"card": "5500-0000", "when": stamp})
        [assigned] = [ev for ev in engine.audit(iid) if ev.kind == "instance.data"]
    assert assigned.detail == {
        "fields": ["card", "when"],
        "values": {"card": ["***", "***"], "when": [None, stamp.isoformat()]},
    }
    assert "4111" not in repr(assigned.detail) and "5500" not in repr(assigned.detail)


def test_the_data_a_starter_gives_and_a_person_writes_is_audited_secrets_hidden(
    tmp_path: Path,
) -> None:
    """WfMC's attributes assigned: what a person wrote at completion (and what the starter
    gave) is in the trail, on every store, sensitive fields as "***"."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("card", "STRING", extended={"wfengine:sensitive": "true"})
    p.data_field("verdict", "STRING").data_field("amount", "INTEGER")
    p.activity("decide", performer="clerk", writes=["verdict", "card"]).activity("note")
    p.transition("decide", "note")
    for url in (None, f"sqlite:///{tmp_path / 'wf.db'}"):
        with Engine(db_url=url) as engine:
            engine.deploy(pb.build())
            iid = engine.start_process("main", {"amount": 12, "card": "4111-1111"})
            (item,) = engine.work_items(iid)
            engine.complete_work_item(item.id, {"verdict": "refund", "card": "5500-0000"})
            trail = engine.audit(iid)
        (created,) = [ev for ev in trail if ev.kind == "instance.created"]
        assert created.payload == history.InstanceCreated(1, {"amount": 12, "card": "***"})
        (done,) = [ev for ev in trail if ev.kind == "work_item.completed"]
        assert done.payload == history.WorkItemCompleted(
            item.id, None, {"verdict": "refund", "card": "***"}
        )
        assert "4111" not in repr([ev.detail for ev in trail])
        assert "5500" not in repr([ev.detail for ev in trail])


def test_a_work_items_whole_life_is_in_the_trail_under_its_id(engine: Engine) -> None:
    """Every work-item event carries the item's id (``work_item_id``: the trail's column, what
    an export groups by), the offer included; an item withdrawn because its activity closed
    another way (here the instance is terminated) is audited ``work_item.cancelled``. Before,
    the offer's detail was a bare id and a withdrawal was only told to the outbox."""
    from wfengine.runtime.history import WorkItemCancelled, WorkItemOffered

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("a", performer="clerk")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    (item,) = engine.work_items(iid)
    engine.claim_work_item(item.id, "clerk")
    engine.terminate(iid)
    mine = [e for e in engine.audit(iid) if e.work_item_id == item.id]
    assert [e.kind for e in mine] == [
        "work_item.offered",
        "work_item.allocated",
        "work_item.cancelled",
    ]
    assert mine[0].payload == WorkItemOffered(item.id)
    assert mine[-1].payload == WorkItemCancelled(item.id)
    assert engine.work_item(item.id).state.value == "cancelled"


def test_an_offer_written_before_it_named_its_item_reads_back() -> None:
    from wfengine.runtime.history import WorkItemOffered

    assert WorkItemOffered.of("wi-7") == WorkItemOffered("wi-7")  # a bare id, as stored before


def test_a_sensitive_value_stays_out_of_incidents_and_call_records(engine: Engine) -> None:
    """An expression's error quotes the value it failed on (``int(card)``), and an actual
    parameter that computes from a sensitive field (``card + ""``) passes its value: both
    reached the trail, the outbox and every export in clear."""
    pb = PackageBuilder("pkg")
    pb.application("charge", params=[("number", "IN", "STRING")])
    p = pb.process("main")
    p.data_field("card", "STRING", extended={"wfengine:sensitive": "true"})
    p.data_field("n", "INTEGER")
    p.activity("pay", tool="charge", args=['card + ""'])
    p.activity("calc", script="n = int(card)")
    p.transition("pay", "calc")
    engine.applications.register("charge", lambda number: {})
    engine.deploy(pb.build())
    iid = engine.start_process("main", {"card": "4111-1111-1111-1111"})
    (incident,) = engine.incidents(iid)
    assert incident.activity_id == "calc"
    assert "4111" not in incident.message and "***" in incident.message
    (invoked,) = [e for e in engine.audit(iid) if e.kind == "application.invoked"]
    assert invoked.detail["inputs"] == {"number": "***"}
    assert not any("4111" in str(e.detail) for e in engine.audit(iid))


def test_a_sensitive_list_stays_out_of_an_incident_that_quotes_one_of_its_items(
    engine: Engine,
) -> None:
    """The incident hid a sensitive field's value only when it quoted the whole value, so an
    item of a sensitive list (``int(cards[0] + "x")``) reached the trail in clear."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("cards", SchemaType(), extended={"wfengine:sensitive": "true"})
    p.data_field("n", "INTEGER")
    p.activity("calc", script='n = int(cards[0] + "x")')
    engine.deploy(pb.build())
    iid = engine.start_process("main", {"cards": ["4111-1111-1111-1111"]})
    (incident,) = engine.incidents(iid)
    assert "4111" not in incident.message and "***" in incident.message
    assert not any("4111" in str(e.detail) for e in engine.audit(iid))
