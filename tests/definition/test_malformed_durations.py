"""A mistyped ISO 8601 duration in a deadline or timer (``PT1H30``, ``P1DT``, ``-PT1H``) is
refused at validation and deploy, saying what is wrong, as ``P1M`` is: read as an expression it
would name a field that is not there, and every instance would stop with an incident."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wfengine import Engine, PackageBuilder, Severity, VirtualClock, deadline, validate
from wfengine.definition.model import Package
from wfengine.definition.reading import ReadKind, UnreadDurationError, read_duration
from wfengine.errors import DeployError
from wfengine.expressions import Language

_MISTYPED = {
    "PT1H30": "its last number (30) has no unit",
    "pt1h30": "its last number (30) has no unit",
    "P1DT": "a T ends it",
    "P2D1W": "out of order",
    "PT1H1H": "out of order",
    "-PT1H": "write PT1H",
    "+PT1H": "write PT1H",
    "-P1M": "months or years",
    "R/PT1H": "a deadline fires once: write PT1H",
    "R3/PT1H30": "its last number (30) has no unit",
}


@pytest.mark.parametrize("text", sorted(_MISTYPED))
def test_a_mistyped_duration_is_refused_saying_why(text: str) -> None:
    reading = read_duration(text, Language.NATIVE)
    assert reading.kind is ReadKind.UNPARSEABLE and reading.refused
    assert isinstance(reading.error, UnreadDurationError)
    assert _MISTYPED[text] in reading.error.message
    # refused in every language, as a native syntax error is
    assert read_duration(text, Language.JAVASCRIPT).refused


@pytest.mark.parametrize("text", ["P1", "P", "Pt", "R/2", "R", "PT1H + extra", "P1.5"])
def test_texts_that_only_resemble_a_duration_are_read_as_before(text: str) -> None:
    reading = read_duration(text, Language.NATIVE)
    assert not isinstance(reading.error, UnreadDurationError)


def test_a_declared_field_of_that_name_is_read_as_the_field() -> None:
    for text, fields in (("PT1H30", {"PT1H30"}), ("-PT1H", {"PT1H"}), ("R/PT1H", {"R", "PT1H"})):
        reading = read_duration(text, Language.NATIVE, fields=fields)
        assert reading.kind is ReadKind.EXPRESSION, text
    alias = read_duration("PT1H30", Language.NATIVE, aliases={"PT1H30": "f-1"})
    assert alias.kind is ReadKind.EXPRESSION
    # one name a field, the other not: still refused
    assert read_duration("R/PT1H", Language.NATIVE, fields={"R"}).refused


def _with_deadline(text: str) -> Package:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").activity("work", deadlines=[deadline(text, "late")])
    p.activity("late").end("e").end("e2")
    p.sequence("s", "work", "e").transition("work", "late", exception="late")
    p.sequence("late", "e2")
    return pb.build()


def _with_timer(text: str) -> Package:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").activity("work").end("e")
    p.intermediate("b", timer=text, attached_to="work", interrupting=False).end("e2")
    p.sequence("s", "work", "e").sequence("b", "e2")
    return pb.build()


@pytest.mark.parametrize(
    ("package", "where"),
    [
        (_with_deadline("PT1H30"), "deadline duration of activity 'work'"),
        (_with_deadline("R/PT1H"), "deadline duration of activity 'work'"),
        (_with_timer("PT1H30"), "timer cycle of activity 'b'"),
        (_with_timer("R/PT1H30"), "timer cycle of activity 'b'"),
    ],
)
def test_validation_errs_and_deploy_refuses(package: Package, where: str) -> None:
    [found] = [d for d in validate(package) if d.code.startswith("expression")]
    assert (found.severity, found.code) == (Severity.ERROR, "expression-syntax")
    assert where in found.message
    assert "ISO 8601 duration" in found.message or "fires once" in found.message
    engine = Engine(clock=VirtualClock(datetime(2030, 1, 1, tzinfo=UTC)))
    with pytest.raises(DeployError, match="expression-syntax"):
        engine.deploy(package)


def test_a_well_formed_repeating_timer_still_deploys() -> None:
    package = _with_timer("R/PT1H")
    assert not [d for d in validate(package) if d.severity is Severity.ERROR]
    Engine(clock=VirtualClock(datetime(2030, 1, 1, tzinfo=UTC))).deploy(package)


def test_a_deadline_naming_a_declared_field_so_named_validates_and_deploys() -> None:
    """Validation and deploy read with the declared fields: a field named ``PT1H30`` (its
    value the deadline) is the field, not a mistyped duration."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("PT1H30", "INTEGER", initial="90")
    p.start("s").activity("work", deadlines=[deadline("PT1H30", "late")])
    p.activity("late").end("e").end("e2")
    p.sequence("s", "work", "e").transition("work", "late", exception="late")
    p.sequence("late", "e2")
    package = pb.build()
    assert [d for d in validate(package) if d.severity is Severity.ERROR] == []
    with Engine(clock=VirtualClock(datetime(2030, 1, 1, tzinfo=UTC))) as engine:
        engine.deploy(package)


@pytest.mark.parametrize("text", ["2030-01", "2030-005"])
def test_a_timer_date_of_a_month_or_a_day_of_the_year_says_it_names_no_moment(text: str) -> None:
    """It said "leading zeros in decimal integer literals are not permitted; use an 0o prefix
    for octal integers": Python's words for the subtraction it was read as."""
    from wfengine.definition.reading import read_moment

    reading = read_moment(text, Language.NATIVE)
    assert reading.refused and reading.error is not None
    assert "no full ISO 8601 date-time" in reading.error.message
    assert "write the whole date, such as 2030-01-01" in reading.error.message
    assert "octal" not in reading.error.message
