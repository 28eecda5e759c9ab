"""A date (a ``DATE`` data field) is a moment for a timer and a deadline: its midnight UTC,
as the literal ``TimeDate`` ``2030-01-05`` is.

It was an incident ("it gave datetime.date(2030, 1, 5), not a date-time"), and a deadline's
refusal of a value named neither the instance nor the activity, as a timer's did."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.runtime.conftest import run
from wfengine.definition.build_arguments import deadline
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine

MIDNIGHT = datetime(2030, 1, 5, tzinfo=UTC)


def _timer_at(at: str) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("due", "DATE", initial="2030-01-05")
    p.start("s").intermediate("t1", at=at).activity("work", performer="clerk").end("e")
    p.sequence("s", "t1", "work", "e")
    return pb


def _deadline(data_type: str, initial: str) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("due", data_type, initial=initial)
    p.start("s").activity("work", performer="clerk", deadlines=[deadline("due", "late")])
    p.activity("late", performer="boss").end("e").end("e2")
    p.sequence("s", "work", "e").transition("work", "late", exception="late")
    p.sequence("late", "e2")
    return pb


def test_a_date_field_as_a_timer_date_is_due_at_its_midnight_utc_as_the_literal_is(
    engine: Engine,
) -> None:
    literal = run(engine, _timer_at("2030-01-05"))
    field = run(engine, _timer_at("due"))
    assert [t.due for t in engine.timers(literal)] == [MIDNIGHT]
    assert [t.due for t in engine.timers(field)] == [MIDNIGHT]
    assert engine.incidents(field) == []


def test_a_date_field_as_a_deadline_is_due_at_its_midnight_utc(engine: Engine) -> None:
    iid = run(engine, _deadline("DATE", "2030-01-05"))
    assert [t.due for t in engine.timers(iid)] == [MIDNIGHT]
    assert engine.incidents(iid) == []


def test_a_deadline_value_that_is_no_time_names_the_instance_and_the_activity(
    engine: Engine,
) -> None:
    iid = run(engine, _deadline("STRING", "soon"))
    [incident] = engine.incidents(iid)
    assert incident.message.startswith(
        f"instance {iid!r}, process 'main', activity 'work', deadline 1"
    )
    assert "deadline gave 'soon'" in incident.message
