"""The export writers through the Python API: XES trace attributes for exported data (a
sensitive field masked, characters XML cannot hold replaced), XES life-cycle transitions and
resources, every page read, CSV and JSON Lines rows."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import timedelta
from typing import Any

import pytest
from lxml import etree

from wfengine import (
    Engine,
    PackageBuilder,
    VirtualClock,
    iter_events,
    write_csv,
    write_jsonl,
    write_xes,
)
from wfengine.audit.exports import xml_text
from wfengine.runtime.states import ProcessState


def _engine() -> Engine:
    e = Engine()
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("region", "STRING", extended={"wfengine:export": "true"})
    p.data_field("amount", "FLOAT", extended={"wfengine:export": "true"})
    p.data_field("secret", "STRING")
    p.activity("a").activity("b")
    p.transition("a", "b")
    e.deploy(pb.build())
    return e


def test_xes_traces_carry_the_exported_fields_only() -> None:
    with _engine() as e:
        e.start_process("p", {"region": "north", "amount": 2.5, "secret": "s3"})
        out = io.BytesIO()
        assert write_xes(e, out) == 4  # a and b: start and complete each
    trace = etree.fromstring(out.getvalue()).find("trace")
    assert trace is not None
    attrs = {(x.tag, x.get("key")): x.get("value") for x in trace if x.tag != "event"}
    assert attrs == {
        ("string", "concept:name"): "pi-1",
        ("string", "wfengine:process"): "p",
        ("string", "region"): "north",
        ("float", "amount"): "2.5",
    }
    assert b"s3" not in out.getvalue()


def test_every_page_is_read_and_written() -> None:
    with _engine() as e:
        for _ in range(30):
            e.start_process("p")
        everything = e.audit_events()
        assert list(iter_events(e, page=7)) == everything
        text = io.StringIO()
        assert write_csv(iter_events(e, page=7), text) == len(everything)
        rows = list(csv.DictReader(io.StringIO(text.getvalue())))
        assert [(r["instance_id"], int(r["seq"])) for r in rows] == [
            (x.instance_id, x.seq) for x in everything
        ]
        lines = io.StringIO()
        assert write_jsonl(everything, lines) == len(everything)
        first = json.loads(lines.getvalue().splitlines()[0])
        assert first["kind"] == "instance.created" and first["process_id"] == "p"


def test_xes_reports_progress_per_instance() -> None:
    seen: list[str] = []

    def progress(ids: list[str]) -> list[str]:
        seen.extend(ids)
        return ids

    with _engine() as e:
        ids = [e.start_process("p") for _ in range(3)]
        write_xes(e, io.BytesIO(), progress=progress)
    assert seen == ids


def _xes(engine: Engine, **filters: Any) -> etree._Element:
    out = io.BytesIO()
    write_xes(engine, out, **filters)
    return etree.fromstring(out.getvalue())


def _steps(trace: etree._Element) -> list[tuple[str, str, str | None]]:
    """(activity, transition, org:resource) of each event of ``trace``."""
    found = []
    for event in trace.iter("event"):
        attrs = {x.get("key"): x.get("value") for x in event}
        name, transition = attrs["concept:name"], attrs["lifecycle:transition"]
        assert name is not None and transition is not None
        found.append((name, transition, attrs.get("org:resource")))
    return found


def test_xes_writes_an_exported_sensitive_field_as_the_trail_does() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    sensitive = {"wfengine:sensitive": "true", "wfengine:export": "true"}
    p.data_field("card", "STRING", extended=sensitive)
    p.data_field("region", "STRING", extended={"wfengine:export": "true"})
    p.activity("a")
    with Engine() as e:
        e.deploy(pb.build())
        e.start_process("p", {"card": "4111-1111-1111-1111", "region": "north"})
        out = io.BytesIO()
        write_xes(e, out)
    assert b"4111" not in out.getvalue()
    trace = etree.fromstring(out.getvalue()).find("trace")
    assert trace is not None
    attrs = {x.get("key"): x.get("value") for x in trace if x.tag == "string"}
    assert (attrs["card"], attrs["region"]) == ("***", "north")


def test_xes_writes_date_and_time_fields_as_their_iso_text() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    exported = {"wfengine:export": "true"}
    p.data_field("due_on", "DATE", extended=exported)
    p.data_field("at_time", "TIME", extended=exported)
    p.data_field("stamp", "DATETIME", extended=exported)
    p.activity("a")
    with Engine() as e:
        e.deploy(pb.build())
        e.start_process(
            "p", {"due_on": "2025-01-01", "at_time": "10:30:00", "stamp": "2025-01-01T08:00:00Z"}
        )
        trace = _xes(e).find("trace")
    assert trace is not None
    attrs = {x.get("key"): (x.tag, x.get("value")) for x in trace if x.tag != "event"}
    assert attrs["due_on"] == ("string", "2025-01-01")
    assert attrs["at_time"] == ("string", "10:30:00")
    assert attrs["stamp"][0] == "date" and attrs["stamp"][1].startswith("2025-01-01T08:00:00")


def test_xes_replaces_what_xml_cannot_hold_and_completes_the_log() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("note", "STRING", extended={"wfengine:export": "true"})
    p.activity("a")
    with Engine() as e:
        e.deploy(pb.build())
        e.start_process("p", {"note": "line one\x0bline\x1b two\ttabbed\x00"})
        log = _xes(e)
    (note,) = [x for x in log.iter("string") if x.get("key") == "note"]
    assert note.get("value") == "line one\ufffdline\ufffd two\ttabbed\ufffd"
    assert [step for _, step, _ in _steps(log.find("trace"))] == ["start", "complete"]  # type: ignore[arg-type]
    assert xml_text("ok \u00e9\U0001f600\r\n") == "ok \u00e9\U0001f600\r\n"
    assert xml_text("\ud800\ufffe\uffff\x08") == "\ufffd" * 4


def _lifecycle() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.participant("clerk")
    p.activity("A", performer="clerk").activity("D", performer="clerk")
    p.intermediate("tm", timer="PT2H", attached_to="D")
    p.activity("late").end("e").end("e2")
    p.sequence("A", "D", "e")
    p.sequence("tm", "late", "e2")
    return pb


def test_xes_names_who_started_the_work_and_tells_activity_from_instance_aborts() -> None:
    clock = VirtualClock()
    with Engine(clock=clock) as e:
        e.deploy(_lifecycle().build())
        interrupted = e.start_process("p")
        (item,) = e.work_items(interrupted)
        e.claim_work_item(item.id, "clerk")
        e.start_work_item(item.id, "clerk")
        clock.advance(timedelta(minutes=30))
        e.complete_work_item(item.id, user="clerk")
        clock.advance(timedelta(hours=3))  # D's boundary timer interrupts it; the case goes on
        assert e.instance(interrupted).state is ProcessState.COMPLETED
        aborted, terminated = e.start_process("p"), e.start_process("p")
        e.abort(aborted)
        e.terminate(terminated)
        traces = {t.find("string").get("value"): t for t in _xes(e).iter("trace")}  # type: ignore[union-attr]
    steps = _steps(traces[interrupted])
    assert [s for s in steps if s[0] == "A"] == [
        ("A", "schedule", None),
        ("A", "assign", "clerk"),
        ("A", "start", "clerk"),
        ("A", "complete", "clerk"),
    ]
    assert [s for s in steps if s[0] == "D"] == [("D", "schedule", None), ("D", "ate_abort", None)]
    # the whole instance aborted or terminated: its open activity ends as pi_abort
    for closed in (aborted, terminated):
        assert _steps(traces[closed])[-1] == ("A", "pi_abort", None)


def test_xes_start_names_who_completed_work_they_never_started() -> None:
    with Engine() as e:
        e.deploy(_lifecycle().build())
        iid = e.start_process("p")
        (item,) = e.work_items(iid)
        e.complete_work_item(item.id, user="clerk")  # offered to them, never claimed
        steps = _steps(_xes(e).find("trace"))  # type: ignore[arg-type]
    assert ("A", "start", "clerk") in steps and ("A", "complete", "clerk") in steps


def test_xes_of_an_instance_of_another_process_is_empty_as_csv_is() -> None:
    with _engine() as e:
        iid = e.start_process("p")
        assert e.audit_events(instance_id=iid, process_id="q") == []
        log = _xes(e, instance_id=iid, process_id="q")
        assert log.findall("trace") == []
        assert len(_xes(e, instance_id=iid, process_id="p").findall("trace")) == 1


def test_xes_of_one_user_keeps_the_work_they_started_and_completed() -> None:
    # --user for XES: the starts and completions a person worked carry no user in the trail;
    # the filter keeps every XES event whose resource is that person, not only the assignment
    with Engine() as e:
        e.deploy(_lifecycle().build())
        first, second = e.start_process("p"), e.start_process("p")
        (mine,) = e.work_items(first)
        e.claim_work_item(mine.id, "clerk")
        e.complete_work_item(mine.id, user="clerk")
        (theirs,) = e.work_items(second)
        e.complete_work_item(theirs.id)  # the host application completes it, as no one
        traces = {
            t.find("string").get("value"): _steps(t)  # type: ignore[union-attr]
            for t in _xes(e, user="clerk").iter("trace")
        }
    assert traces == {
        first: [("A", "assign", "clerk"), ("A", "start", "clerk"), ("A", "complete", "clerk")]
    }


def test_xes_filters_select_events_without_changing_their_transition_or_resource() -> None:
    """A filter read only the events it selected and built the trace from them: the open
    activity an instance abort closed became ate_abort under --activity or --kind, and a
    completion lost its resource under --kind (empty with --user too)."""
    clock = VirtualClock()
    with Engine(clock=clock) as e:
        e.deploy(_lifecycle().build())
        iid = e.start_process("p")
        (item,) = e.work_items(iid)
        clock.advance(timedelta(minutes=10))
        e.claim_work_item(item.id, "clerk")
        clock.advance(timedelta(minutes=10))
        e.complete_work_item(item.id, user="clerk")
        e.abort(iid)  # D is open: the instance's abort closes it
        started = next(x.at for x in e.audit_events(instance_id=iid, kind="work_item.allocated"))
        everything = _steps(_xes(e).find("trace"))  # type: ignore[arg-type]

        def steps(**filters: Any) -> list[tuple[str, str, str | None]]:
            return [s for t in _xes(e, **filters).iter("trace") for s in _steps(t)]

        assert everything[-1] == ("D", "pi_abort", None)
        assert steps(activity_id="D") == [s for s in everything if s[0] == "D"]
        assert steps(kind="activity.aborted") == [("D", "pi_abort", None)]
        assert steps(kind=["activity.completed"]) == [("A", "complete", "clerk")]
        assert steps(user="clerk", kind="activity.completed") == [("A", "complete", "clerk")]
        assert steps(since=started + timedelta(microseconds=1)) == everything[2:]
        assert steps(until=started) == everything[:1]
        assert steps(kind=[]) == everything


def _strict(text: str) -> Any:
    """``text`` parsed as a strict JSON reader parses it (no NaN or Infinity literals)."""

    def refuse(literal: str) -> Any:
        raise ValueError(f"{literal} is not JSON")

    return json.loads(text, parse_constant=refuse)


def _non_finite_engine(amount: float = math.nan) -> Engine:
    e = Engine()
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("amount", "FLOAT", extended={"wfengine:export": "true"})
    p.data_field("limits", "FLOAT", is_array=True, extended={"wfengine:export": "true"})
    p.activity("a")
    e.deploy(pb.build())
    e.start_process("p", {"amount": amount, "limits": [math.inf, -math.inf]})
    return e


def test_json_lines_and_csv_spell_nan_and_the_infinities_as_strings() -> None:
    """write_jsonl and write_csv wrote the bare NaN and Infinity literals, which are not
    JSON: a strict reader refused the whole line."""
    with _non_finite_engine() as e:
        lines, table = io.StringIO(), io.StringIO()
        write_jsonl(e.audit_events(), lines)
        write_csv(e.audit_events(), table)
    created = _strict(lines.getvalue().splitlines()[0])["detail"]["data"]
    assert created == {"amount": "NaN", "limits": ["Infinity", "-Infinity"]}
    row = next(csv.DictReader(io.StringIO(table.getvalue())))
    assert _strict(row["detail"])["data"] == created


@pytest.mark.parametrize(
    ("amount", "spelt"), [(math.nan, "NaN"), (math.inf, "INF"), (-math.inf, "-INF")]
)
def test_xes_writes_nan_and_the_infinities_as_xml_schema_spells_them(
    amount: float, spelt: str
) -> None:
    """A NaN float was written value="nan" (and inf "inf"), which XML Schema's double, the
    type of an XES float, does not allow."""
    with _non_finite_engine(amount) as e:
        trace = _xes(e).find("trace")
    assert trace is not None
    attrs = {x.get("key"): (x.tag, x.get("value")) for x in trace if x.tag != "event"}
    assert attrs["amount"] == ("float", spelt)
    assert attrs["limits"][0] == "string"
    assert _strict(attrs["limits"][1]) == ["Infinity", "-Infinity"]


def test_xes_names_whom_the_engine_gave_work_to_as_the_assignments_resource() -> None:
    # an assignment rule gives `check` to whoever did `write`: the trail names no user for
    # that allocation (nobody claimed it), but the log's assign event is the clerk's
    with Engine() as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.activity("write", performer="clerk")
        p.activity("check", performer="clerk", extended={"AssignToPerformerOfActivity": "write"})
        p.transition("write", "check")
        e.deploy(pb.build())
        iid = e.start_process("p")
        (write,) = e.work_items(iid)
        e.complete_work_item(write.id, user="clerk")
        (check,) = e.work_items(iid)
        e.complete_work_item(check.id, user="clerk")
        (trace,) = _xes(e).iter("trace")
        steps = _steps(trace)
        by_clerk = _steps(next(iter(_xes(e, user="clerk").iter("trace"))))
    assert ("check", "assign", "clerk") in steps
    assert ("check", "assign", "clerk") in by_clerk
