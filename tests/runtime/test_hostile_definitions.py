"""An untrusted definition must not crash, hang or exhaust the engine (issue 8).

Each test is one of the red team's findings: a definition that reaches a limit or computes a
number no deadline or count can be ends as an incident (or an audited invalid deadline) on its
own instance, never as an exception out of the engine or a worker.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder, deadline
from wfengine.definition.model import MultiInstanceLoop
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.limits import RuntimeLimits
from wfengine.runtime.states import ProcessState


def _multi(count: str) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("each", loop=MultiInstanceLoop(mi_condition=count))
    return pb


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("1e999", "expected a count"),
        ("float('nan')", "expected a count"),
        ("-3", "expected a count"),
        ("2.5", "gave 2.5, expected a count (a whole number"),  # was 2 instances, silently
        ("'many'", "expected a count"),
        ("10**9", "more instances than RuntimeLimits.max_mi_instances (10000)"),
    ],
)
def test_an_impossible_instance_count_is_an_incident(
    engine: Engine, count: str, message: str
) -> None:
    iid = run(engine, _multi(count))
    [incident] = engine.incidents(iid)
    assert message in incident.message
    assert engine.activity_instances(iid)[0].state.is_open  # nothing half-started


def test_the_instance_count_limit_is_the_host_s_to_change(engine: Engine) -> None:
    engine.limits = RuntimeLimits(max_mi_instances=3)
    iid = run(engine, _multi("4"))
    [incident] = engine.incidents(iid)
    assert "max_mi_instances (3)" in incident.message


@pytest.mark.parametrize(
    "duration",
    [
        "1e300",
        "float('nan')",
        "float('inf')",
        "now() - now() - timedelta(days=1)",
        "10**300",
        "timedelta(days=999999999)",
    ],
)
def test_an_impossible_deadline_is_an_incident_not_raised(engine: Engine, duration: str) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("wait", performer="clerk", deadlines=[deadline(duration, "late")])
    iid = run(engine, pb)
    assert engine.timers(iid) == []
    [invalid] = [e for e in engine.audit(iid) if e.kind == "deadline.invalid"]
    assert "deadline gave" in str(invalid.detail)
    assert engine.instance(iid).state is ProcessState.RUNNING
    (incident,) = engine.incidents(iid)  # told, not only audited: the work waits for it
    assert incident.activity_id == "wait" and "deadline gave" in incident.message
    assert engine.work_items(iid) == []


def test_a_deadline_whose_expression_fails_is_an_incident_retried_after_a_mend(
    engine: Engine,
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("sla_hours", "INTEGER")
    p.activity("wait", performer="clerk", deadlines=[deadline("sla_hours * 3600", "late")])
    iid = run(engine, pb)
    (incident,) = engine.incidents(iid)
    assert "sla_hours * 3600" in incident.message and engine.timers(iid) == []
    engine.set_data(iid, {"sla_hours": 2})
    engine.retry_incident(incident.id)
    assert len(engine.timers(iid)) == 1 and len(engine.work_items(iid)) == 1


def _recursive() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.subflow("again", process="main")
    return pb


def test_endless_recursion_stops_at_the_depth_limit(engine: Engine) -> None:
    engine.limits = RuntimeLimits(max_subflow_depth=20)
    iid = run(engine, _recursive())
    incidents = engine.incidents()
    assert len(incidents) == 1
    assert "more than RuntimeLimits.max_subflow_depth (20)" in incidents[0].message
    assert len(engine.instances()) == 21  # the root and 20 levels, no more
    assert engine.instance(iid).state is ProcessState.RUNNING


@pytest.mark.parametrize("store_kind", ["memory"], indirect=True)
def test_a_fan_out_stops_at_the_instances_one_command_may_create(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.subflow("left", process="main").subflow("right", process="main")
    p.route("fork", gateway="Parallel").transition("fork", "left").transition("fork", "right")
    engine.limits = RuntimeLimits(max_new_instances=100, max_subflow_depth=1000)
    run(engine, pb)
    assert len(engine.instances()) <= 100
    assert any("max_new_instances" in i.message for i in engine.incidents())


def test_a_deadline_that_re_arms_itself_stops_at_the_firing_limit(
    engine: Engine, clock: VirtualClock
) -> None:
    # the deadline's exception leads back to the activity, which sets the deadline again
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").end("e")
    p.activity("wait", performer="clerk", deadlines=[deadline("timedelta(seconds=1)", "late")])
    p.transition("s", "wait").transition("wait", "e")
    p.transition("wait", "wait", exception="late")
    engine.limits = RuntimeLimits(max_timer_firings=5)
    iid = run(engine, pb)
    for _ in range(10):
        clock.advance(timedelta(seconds=2))
    incidents = engine.incidents(iid)
    assert len(incidents) == 1
    assert "fired 5 timers and RuntimeLimits.max_timer_firings allows 5" in incidents[0].message
    assert len(engine.timers(iid)) == 1  # the 6th, held back: parked until the retry


def test_a_zero_deadline_is_refused_at_validation(engine: Engine) -> None:
    from wfengine.definition.diagnostics import Severity
    from wfengine.definition.validation import validate
    from wfengine.errors import DeployError

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("wait", performer="clerk", deadlines=[deadline("PT0S", "late")])
    package = pb.build()
    [finding] = [d for d in validate(package) if d.code == "deadline-duration"]
    assert finding.severity is Severity.ERROR and "fires at once" in finding.message
    with pytest.raises(DeployError, match="deadline-duration"):
        engine.deploy(package)


@pytest.mark.parametrize(
    ("setting", "value"),
    [("backoff", "nan"), ("timeout", "inf"), ("retries", "-1"), ("timeout", "0")],
)
def test_impossible_agent_settings_are_refused(setting: str, value: str) -> None:
    from wfengine.applications.registry import ApplicationRegistry
    from wfengine.definition.model import Application, ExtendedAttribute
    from wfengine.errors import ApplicationError

    registry = ApplicationRegistry()
    registry.allow_agent("echo", lambda settings: lambda **kw: {})
    app = Application(
        id="a",
        extended_attributes=(
            ExtendedAttribute(name="wfengine:agent", value="echo"),
            ExtendedAttribute(name=f"wfengine:{setting}", value=value),
        ),
    )
    with pytest.raises(ApplicationError, match=f"{setting} must be a number"):
        registry.resolve(app)


def test_a_job_that_fails_becomes_an_incident_and_runs_again_on_retry(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("a")
    engine.deploy(pb.build())
    iid = engine.start_process("main", defer=True)
    real = engine.job_handlers["continue"]

    def broken(*args: object) -> None:
        raise OverflowError("date value out of range")

    engine.job_handlers["continue"] = broken
    assert engine.run_due_jobs() == 1  # the worker goes on
    [incident] = engine.incidents(iid)
    assert incident.operation == "job"
    assert "OverflowError: date value out of range" in incident.message
    assert engine.run_due_jobs() == 0  # parked: not picked up again by every worker
    assert not engine.has_work()
    engine.job_handlers["continue"] = real
    engine.retry_incident(incident.id)
    assert engine.run_due_jobs() == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.incidents(iid) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({2}, "a set value cannot be stored"),
        (
            10**2000,
            r"wider than 4096 bits \(about 1,233 digits\) cannot be stored; this one has 6,644",
        ),
        ([[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]] * 1, None),  # 20 deep: fine
    ],
)
def test_every_store_refuses_what_a_database_cannot_hold(
    engine: Engine, value: object, message: str | None
) -> None:
    from wfengine.errors import DataNotStorableError

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("a", performer="clerk")
    iid = run(engine, pb)
    if message is None:
        engine.set_data(iid, {"ok": value})
        assert engine.instance(iid).data["ok"] == value
        return
    with pytest.raises(DataNotStorableError, match=message):
        engine.set_data(iid, {"bad": value})
    [item] = engine.work_items(iid)
    with pytest.raises(DataNotStorableError, match=r"data\['bad'\]"):
        engine.complete_work_item(item.id, {"bad": value})
    with pytest.raises(DataNotStorableError):
        engine.start_process("main", {"bad": value})
    assert "bad" not in engine.instance(iid).data
    assert engine.work_items(iid) == [item]  # nothing changed


def test_deep_nesting_is_refused_by_every_store(engine: Engine) -> None:
    from wfengine.errors import DataNotStorableError

    deep: object = 1
    for _ in range(100):
        deep = [deep]
    pb = PackageBuilder("pkg")
    pb.process("main").activity("a", performer="clerk")
    iid = run(engine, pb)
    with pytest.raises(DataNotStorableError, match="nested deeper than 64 levels"):
        engine.set_data(iid, {"deep": deep})


def _event_subprocess_cycle() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").activity("work", performer="clerk").end("done")
    p.sequence("s", "work", "done")
    sub = p.activity_set("reaction", triggered_by_event=True)
    sub.start("caught", interrupting=False, timer="R/PT1S")
    sub.activity("handle").end("handled")
    sub.sequence("caught", "handle", "handled")
    p.block("on_event", activity_set="reaction")
    return pb


def _reminding() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    rhythm = {"wfengine:reminder-after": "PT1M", "wfengine:reminder-every": "PT1M"}
    p.activity("work", performer="clerk", extended=rhythm)
    return pb


@pytest.mark.parametrize("kind", ["event sub-process cycle", "reminders"])
def test_every_repeating_timer_stops_at_the_firing_limit(
    engine: Engine, clock: VirtualClock, kind: str
) -> None:
    """An event sub-process's cycle and a reminder rhythm re-arm themselves too (each
    reminder a notification to people): they count with the deadlines, and stop with one
    incident. They used to fire for ever."""
    engine.limits = RuntimeLimits(max_timer_firings=5)
    iid = run(engine, _reminding() if kind == "reminders" else _event_subprocess_cycle())
    clock.advance(timedelta(hours=1))
    fired = [e.kind for e in engine.audit(iid)]
    (incident,) = engine.incidents(iid)
    assert "fired 5 timers and RuntimeLimits.max_timer_firings allows 5" in incident.message
    if kind == "reminders":
        assert fired.count("work_item.reminder") == 5
    else:
        assert engine.trace(iid).count("handle") == 5
    assert len(engine.jobs(iid)) == 1  # the 6th, held back: parked until the retry


def test_a_reminder_rhythm_under_a_minute_is_refused(engine: Engine) -> None:
    from wfengine.errors import DeployError

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("work", performer="clerk", extended={"wfengine:reminder-every": "PT1S"})
    with pytest.raises(DeployError, match="shorter than a minute"):
        engine.deploy(pb.build())


def test_the_instances_a_long_run_creates_count_across_its_stretches(engine: Engine) -> None:
    """A run cut into stretches (commit_every) counts the instances it created in all of
    them: the limit used to start again with every stretch, and was never reached."""
    from wfengine.definition.model import StandardLoop

    pb = PackageBuilder("pkg")
    child = pb.process("child")
    child.start("cs").end("ce")
    child.sequence("cs", "ce")
    p = pb.process("main")
    p.start("s").end("e")
    p.subflow("call", process="child", loop=StandardLoop(condition="True", maximum=1000))
    p.sequence("s", "call", "e")
    engine.limits = RuntimeLimits(max_new_instances=30, commit_every=20)
    iid = run(engine, pb)
    (incident,) = engine.incidents(iid)
    assert "max_new_instances" in incident.message
    assert len(engine.instances()) <= 31  # the root and the limit's children


def test_a_script_value_no_store_can_hold_is_an_incident_on_the_script(engine: Engine) -> None:
    from wfengine.definition.model import SchemaType

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", SchemaType())  # a type whose values are not checked: any JSON-like one
    p.activity("calc", script="x = {1: 2}")
    iid = run(engine, pb)
    (incident,) = engine.incidents(iid)
    assert incident.activity_id == "calc"
    assert "a dict key must be a str, not int 1" in incident.message
    assert engine.instance(iid).data["x"] is None


def test_the_trail_keeps_a_clipped_copy_of_a_long_value(engine: Engine) -> None:
    """Every event that records a value stores it again: a loop assigning a megabyte made a
    small definition write hundreds of megabytes of trail."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("s", "STRING", initial="'x' * 100000")
    p.data_field("t", "STRING")
    p.activity("copy", script="t = s")
    iid = run(engine, pb)
    assert len(engine.instance(iid).data["t"]) == 100_000  # the data itself is whole
    (event,) = [e for e in engine.audit(iid) if e.kind == "activity.script"]
    kept = event.detail["data"]["t"] if "data" in event.detail else event.detail["t"]
    assert kept.startswith("x" * 4096) and kept.endswith("... (100,000 characters)")
