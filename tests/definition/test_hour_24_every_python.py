"""An hour of 24 (``2030-12-31T24:00:00``, xs:dateTime's end of a day) is refused by name on
every Python version: in a ``ValidFrom`` / ``ValidTo``, a timer's ``TimeDate`` and a DATETIME,
DATE or TIME initial value. Before, the refusal was Python's own ``fromisoformat``'s, which
CPython 3.14 dropped (it reads ``T24:00`` as the next day's 00:00, ``24:00`` as a time of
00:00): the same definition validated clean there and a timer fired, a period ended, a
field held a moment, that on 3.11-3.13 were refused.

Each test runs twice: with ``fromisoformat`` as the running Python has it, and with one that
reads an hour of 24 as 3.14 does (put in place of the modules' ``datetime`` and ``time``), so
what is asserted holds whichever Python runs it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, validate
from wfengine.definition import coercion, event_texts, iso_moments, literals, reading, validity
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Package
from wfengine.definition.validity import UnreadBound, read_bound
from wfengine.errors import DeployError

#: a date-time whose hour is 24 and whose minutes and seconds are nought, as 3.14 reads one
_DATE_HOUR_24 = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})(?P<sep>.)24(?::00(?::00(?:\.0+)?)?)?(?P<zone>.*)", re.DOTALL
)
_HOUR_24 = re.compile(r"T?24(?::00(?::00(?:\.0+)?)?)?")


class _Real(type):
    """The stand-ins' metaclass: a real ``datetime`` or ``time`` is an instance of its
    stand-in, so code checking ``isinstance(value, time)`` reads it as it would on 3.14 (a
    stand-in failing that check refused 24:00 for another reason than its hour)."""

    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, cls.__mro__[1])


class _DatetimeOf314(datetime, metaclass=_Real):
    """``datetime`` whose ``fromisoformat`` reads an hour of 24 as the next day's 00:00."""

    @classmethod
    def fromisoformat(cls, text: str) -> datetime:
        found = _DATE_HOUR_24.fullmatch(text)
        if found is None:
            return datetime.fromisoformat(text)
        start = datetime.fromisoformat(f"{found['date']}{found['sep']}00:00:00{found['zone']}")
        return start + timedelta(days=1)


class _TimeOf314(time, metaclass=_Real):
    """``time`` whose ``fromisoformat`` reads ``24:00`` as 00:00."""

    @classmethod
    def fromisoformat(cls, text: str) -> time:
        return time(0) if _HOUR_24.fullmatch(text) else time.fromisoformat(text)


@pytest.fixture(params=["running-python", "python-3.14"], autouse=True)
def _fromisoformat(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.param == "running-python":
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        for module in (validity, reading, literals, event_texts, iso_moments, coercion):
            patch.setattr(module, "datetime", _DatetimeOf314, raising=False)
        for module in (literals, iso_moments, coercion):
            patch.setattr(module, "time", _TimeOf314, raising=False)
        yield


def test_the_stand_in_reads_hour_24_as_python_3_14_does() -> None:
    assert _DatetimeOf314.fromisoformat("2030-12-31T24:00:00+02:00") == datetime.fromisoformat(
        "2031-01-01T00:00:00+02:00"
    )
    assert _TimeOf314.fromisoformat("24:00") == time(0)


@pytest.mark.parametrize("end", [False, True])
def test_a_bound_at_hour_24_is_unread_and_says_what_to_write(end: bool) -> None:
    with pytest.raises(UnreadBound, match="the next day's 00:00: 2031-01-01T00:00:00Z"):
        read_bound("2030-12-31T24:00:00Z", end=end)
    with pytest.raises(UnreadBound):
        read_bound("20301231T240000", end=end)


def _package(*, valid_to: str | None = None, at: str | None = None) -> Package:
    pb = PackageBuilder("pk")
    pb.participant("clerk")
    p = pb.process("q")
    if at is None:
        p.start("s").activity("work", performer="clerk").end("e")
        p.sequence("s", "work", "e")
    else:
        p.start("s").intermediate("t", at=at).activity("work", performer="clerk").end("e")
        p.sequence("s", "t", "work", "e")
    package = pb.build()
    if valid_to is None:
        return package
    (process,) = package.workflow_processes
    header = process.header.model_copy(update={"valid_to": valid_to})
    process = process.model_copy(update={"header": header})
    return package.model_copy(update={"workflow_processes": (process,)})


def test_a_valid_to_at_hour_24_is_a_finding_and_bounds_nothing() -> None:
    package = _package(valid_to="2030-12-31T24:00:00")
    [finding] = [d for d in validate(package) if d.code == "validity-unread"]
    assert "the next day's 00:00: 2031-01-01T00:00:00Z" in finding.message
    # it bounds nothing, as the finding says: an instance starts after that day too
    engine = Engine(clock=VirtualClock(datetime(2031, 6, 1, tzinfo=UTC)))
    try:
        engine.deploy(package)
        assert engine.start_process("q")
    finally:
        engine.close()


def test_a_timer_date_at_hour_24_is_refused_by_validate_and_deploy() -> None:
    package = _package(at="2030-01-01T24:00:00Z")
    errors = [d for d in validate(package) if d.severity is Severity.ERROR]
    assert [d.code for d in errors] == ["expression-syntax"]
    assert "the next day's 00:00: 2030-01-02T00:00:00Z" in errors[0].message
    with pytest.raises(DeployError, match="24:00"):
        Engine(clock=VirtualClock()).deploy(package)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("DATETIME", "2030-12-31T24:00:00Z"),
        ("DATETIME", "2030-12-31 24:00"),
        ("DATE", "2030-12-31T24:00:00"),
        ("TIME", "24:00:00"),
        ("TIME", "24:00"),
    ],
)
def test_an_initial_value_at_hour_24_is_refused_by_validate_and_deploy(
    kind: str, text: str
) -> None:
    pb = PackageBuilder("pk")
    pb.participant("clerk")
    p = pb.process("q")
    p.data_field("x", kind, initial=text)
    p.start("s").activity("work", performer="clerk").end("e")
    p.sequence("s", "work", "e")
    package = pb.build()
    errors = [d for d in validate(package) if d.severity is Severity.ERROR]
    assert [d.element_id for d in errors] == ["x"]
    # refused as the text it is, not as a value a stand-in made of it (time(0): "not a TIME")
    assert "24:00" in errors[0].message
    with pytest.raises(DeployError, match=r"'x'.*24:00"):
        Engine(clock=VirtualClock()).deploy(package)


@pytest.mark.parametrize(
    ("kind", "text"), [("DATETIME", "2030-01-01T24:00:00Z"), ("TIME", "24:00")]
)
def test_data_given_at_run_time_refuses_an_hour_of_24_on_every_python(kind: str, text: str) -> None:
    """coerce (data from starters, people and applications) read 24:00 through
    fromisoformat, which CPython 3.14 takes."""
    from wfengine.definition.model import BasicTypeKind

    with pytest.raises(ValueError, match="expected"):
        coercion.coerce(text, BasicTypeKind(kind))
