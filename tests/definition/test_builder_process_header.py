"""``ProcessBuilder.header()``: a process's header (ValidFrom/ValidTo, Priority, Duration, ...)
set in code, honoured by the engine as a read file's is.

Why: README's versioning rests on ValidFrom/ValidTo (a version deployed ahead of its period
waits for it), and a host building in code could only ``model_copy`` the frozen package.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from wfengine import (
    BuildError,
    Engine,
    IllegalStateError,
    PackageBuilder,
    ProcessBuilder,
    VirtualClock,
    dump_xpdl,
    load_xpdl,
)
from wfengine.definition.model import Package, ProcessHeader

START = datetime(2030, 1, 1, tzinfo=UTC)


def _process() -> tuple[PackageBuilder, ProcessBuilder]:
    b = PackageBuilder("pkg")
    p = b.process("main")
    p.start("s").end("e").sequence("s", "e")
    return b, p


def _starts(package: Package, clock: VirtualClock) -> bool:
    """Whether a new instance of ``main`` starts now, on a fresh engine."""
    engine = Engine(clock=clock)
    engine.deploy(package)
    try:
        engine.start_process("main")
    except IllegalStateError:
        return False
    return True


def test_a_valid_from_set_in_code_is_honoured_as_a_read_files() -> None:
    b, p = _process()
    p.header(valid_from="2030-02-01", valid_to=datetime(2030, 3, 1, tzinfo=UTC))
    built = b.build()
    read = load_xpdl(dump_xpdl(built))
    assert read == built  # the file holds the same header
    assert read.process("main").header.valid_from == "2030-02-01"
    clock = VirtualClock(START)
    assert [_starts(built, clock), _starts(read, clock)] == [False, False]
    engine = Engine(clock=clock)
    engine.deploy(built)
    with pytest.raises(IllegalStateError, match=r"valid from 2030-02-01"):
        engine.start_process("main")
    clock.advance(timedelta(days=31))
    assert [_starts(built, clock), _starts(read, clock)] == [True, True]
    clock.advance(timedelta(days=28))  # 2030-03-01T00:00Z: ValidTo, over
    assert [_starts(built, clock), _starts(read, clock)] == [False, False]


def test_a_version_waiting_for_its_period_keeps_the_current_one_starting() -> None:
    """README: a newer version may wait for its ValidFrom while the current one starts."""
    clock = VirtualClock(START)
    engine = Engine(clock=clock)
    b, p = _process()
    engine.deploy(b.build())
    p.header(valid_from=date(2030, 6, 1), priority="1")
    engine.deploy(b.build())
    assert engine.instance(engine.start_process("main")).version == 1
    clock.advance(timedelta(days=200))
    assert engine.instance(engine.start_process("main")).version == 2


def test_every_field_is_set_as_the_reader_reads_it() -> None:
    b, p = _process()
    p.header(
        valid_from=" 2030-01-01T08:00:00Z\n",
        priority=" 2 ",
        limit="5",
        duration="3",
        duration_unit="D",
        waiting_time="1",
        working_time="2",
        created="2029-12-01",
        description="  For the claims team.\n",
    )
    p.header(limit="6")  # a later call sets what it is given and keeps the rest
    built = b.build()
    assert built.process("main").header == ProcessHeader(
        valid_from="2030-01-01T08:00:00Z",
        priority="2",
        limit="6",
        duration="3",
        duration_unit="D",
        waiting_time="1",
        working_time="2",
        created="2029-12-01",
        description="  For the claims team.\n",
    )
    assert load_xpdl(dump_xpdl(built)) == built


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"valid_from": "next monday"}, r"valid_from='next monday' is no ISO 8601 date"),
        (
            {"valid_to": "2030-12-31T24:00:00"},
            r"valid_to='2030-12-31T24:00:00' is no ISO .*the next day's 00:00",
        ),
        (
            {"valid_from": "2030-02-01", "valid_to": "2030-01-31"},
            r"valid_from='2030-02-01' is not before valid_to='2030-01-31'",
        ),
        ({"duration_unit": "days"}, r"duration_unit= is one of Y, M, D, h, m, s"),
        ({"priority": 1}, r"priority= is text, not 1 \(write '1'\)"),
        ({"valid_from": 2030}, r"valid_from= \(an ISO 8601 date or date-time, or a datetime\)"),
    ],
)
def test_a_header_the_engine_could_not_honour_is_refused_naming_the_call(
    given: dict[str, object], message: str
) -> None:
    _, p = _process()
    with pytest.raises(BuildError, match=r"^process 'main': header\(\): " + message):
        p.header(**given)  # type: ignore[arg-type]


def test_a_later_call_making_the_period_empty_is_refused_and_changes_nothing() -> None:
    b, p = _process()
    p.header(valid_to="2030-01-31")
    with pytest.raises(BuildError, match="no instance could ever start"):
        p.header(valid_from="2030-02-01")
    assert b.build().process("main").header == ProcessHeader(valid_to="2030-01-31")
