"""Durations wfengine does not read: months and years (``P1M``, ``P1Y``: their length varies)
and a timer cycle repeating zero times (``R0/PT1H``: it would never fire). Validation reports
each as an error naming why, and deploy refuses the process; they were read as expressions
naming a field ``P1M`` (a misleading warning, then an incident on every instance), and
``R0/PT1H`` as ``R/PT1H``, firing every hour without end."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, Severity, VirtualClock, validate
from wfengine.definition.build_arguments import deadline
from wfengine.definition.durations import counts_months_or_years
from wfengine.errors import DeployError


def _errors(pb: PackageBuilder) -> list[tuple[str, str | None, str]]:
    return [
        (d.code, d.element_id, d.message)
        for d in validate(pb.build())
        if d.severity is Severity.ERROR
    ]


def _with_deadline(duration: str) -> PackageBuilder:
    pb = PackageBuilder("pk")
    p = pb.process("main")
    p.start("s").activity("work", performer="clerk", deadlines=[deadline(duration, "late")])
    p.activity("late_handler", performer="boss").end("e").end("e2")
    p.sequence("s", "work", "e")
    p.transition("work", "late_handler", exception="late").sequence("late_handler", "e2")
    return pb


def _with_timer(cycle: str, *, boundary: bool) -> PackageBuilder:
    pb = PackageBuilder("pk")
    p = pb.process("main")
    p.start("s").activity("work", performer="clerk").end("e")
    if boundary:
        p.intermediate("t", timer=cycle, attached_to="work", interrupting=False)
        p.activity("note", script="n = 1").end("e2")
        p.sequence("s", "work", "e").sequence("t", "note", "e2")
    else:
        p.intermediate("t", timer=cycle)
        p.sequence("s", "t", "work", "e")
    return pb


@pytest.mark.parametrize("duration", ["P1M", "P1Y", "P1Y2M10DT2H", "3 months", "1 year 2 days"])
def test_a_deadline_in_months_or_years_is_an_error_naming_why(duration: str) -> None:
    [(code, element, message)] = _errors(_with_deadline(duration))
    assert (code, element) == ("expression-syntax", "work")
    assert f"is {duration!r}: it counts months or years, whose length varies" in message
    assert "no data field" not in message


@pytest.mark.parametrize("boundary", [False, True], ids=["in-flow", "boundary"])
def test_a_timer_in_months_or_years_is_an_error_and_deploy_refuses_it(boundary: bool) -> None:
    pb = _with_timer("R/P1M" if boundary else "P1Y", boundary=boundary)
    [(code, element, message)] = _errors(pb)
    assert (code, element) == ("expression-syntax", "t")
    assert "the timer cycle of activity 't'" in message and "months or years" in message
    with Engine(clock=VirtualClock()) as engine, pytest.raises(DeployError, match="months or"):
        engine.deploy(pb.build())


def test_a_timer_cycle_repeating_zero_times_is_an_error_and_deploy_refuses_it() -> None:
    pb = _with_timer("R0/PT1H", boundary=True)
    [(code, element, message)] = _errors(pb)
    assert (code, element) == ("expression-syntax", "t")
    assert "it repeats zero times (R0), so it would never fire" in message
    assert "R1/PT1H" in message and "R/PT1H" in message
    with Engine(clock=VirtualClock()) as engine, pytest.raises(DeployError, match="zero times"):
        engine.deploy(pb.build())


@pytest.mark.parametrize("cycle", ["R1/PT1H", "R/PT1H", "R3/PT1H", "PT1H"])
def test_other_timer_cycles_are_read_as_before(cycle: str) -> None:
    assert _errors(_with_timer(cycle, boundary=True)) == []


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("P1M", True),
        ("p2y", True),
        ("P1Y2M3W4DT5H6M7S", True),
        ("2 months", True),
        ("1 yr, 3 days", True),
        ("PT1M", False),
        ("P1W", False),
        ("10 min", False),
        ("3 days", False),
        ("P1M_field", False),
        ("months", False),
        ("2 parsecs", False),
    ],
)
def test_which_texts_count_months_or_years(text: str, counts: bool) -> None:
    assert counts_months_or_years(text) is counts


@pytest.mark.parametrize(
    "at", ["9999-12-31T23:00:00-05:00", "9999-12-31T00:00:00Z"], ids=["year-10000-utc", "end"]
)
def test_a_timer_date_where_the_engine_s_time_ends_is_an_error_and_deploy_refuses_it(
    at: str,
) -> None:
    """It deployed, and starting an instance on SQLite died with a bare OverflowError."""
    pb = PackageBuilder("pk")
    p = pb.process("main")
    p.start("s").intermediate("t", at=at).end("e")
    p.sequence("s", "t", "e")
    [(code, element, message)] = _errors(pb)
    assert (code, element) == ("expression-syntax", "t")
    assert "where the engine's time ends: it would never come due" in message
    with Engine(clock=VirtualClock()) as engine, pytest.raises(DeployError, match="time ends"):
        engine.deploy(pb.build())


def test_a_timer_date_before_the_end_of_the_engine_s_time_is_read_as_before() -> None:
    pb = PackageBuilder("pk")
    p = pb.process("main")
    p.start("s").intermediate("t", at="9999-12-30T18:00:00-05:00").end("e")
    p.sequence("s", "t", "e")
    assert _errors(pb) == []
