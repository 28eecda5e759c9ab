"""iter_events' own arguments: an unusable page is refused when the iterator is made, naming
``page`` (0 raised a bare IndexError, -1 blamed ``limit``, None a bare TypeError); ``after``
resumes an export after the last event it wrote and ``limit`` caps how many are read (both
raised "got multiple values for keyword argument")."""

from __future__ import annotations

import io

import pytest

from wfengine import Engine, PackageBuilder, iter_events, write_csv


@pytest.fixture
def engine() -> Engine:
    pb = PackageBuilder("desk")
    pb.process("t").activity("a", performer="clerk")
    e = Engine()
    e.deploy(pb.build())
    for _ in range(3):
        e.start_process("t")
    return e


@pytest.mark.parametrize(
    ("page", "error", "says"),
    [
        (0, ValueError, r"iter_events: page is at least 1 event per read \(0\)"),
        (-1, ValueError, r"iter_events: page is at least 1 event per read \(-1\)"),
        (None, TypeError, r"iter_events: page is a whole number of events, not NoneType"),
        (2.5, TypeError, r"iter_events: page is a whole number of events, not float"),
        (True, TypeError, r"iter_events: page is a whole number of events, not bool"),
    ],
)
def test_an_unusable_page_is_refused_when_made(
    engine: Engine, page: object, error: type[Exception], says: str
) -> None:
    with pytest.raises(error, match=says):
        iter_events(engine, page=page)  # type: ignore[arg-type]


def test_a_refusal_comes_before_a_writer_writes_its_header(engine: Engine) -> None:
    out = io.StringIO()
    with pytest.raises(ValueError, match="page"):
        write_csv(iter_events(engine, page=0), out)
    assert out.getvalue() == ""


@pytest.mark.parametrize("page", [1, 2, 5, 1000])
def test_after_resumes_after_that_event(engine: Engine, page: int) -> None:
    every = engine.audit_events()
    assert len(every) > 5
    assert list(iter_events(engine, page=page, after=every[4])) == every[5:]
    assert list(iter_events(engine, page=page, after=every[-1])) == []


@pytest.mark.parametrize("page", [1, 2, 3, 1000])
def test_limit_caps_how_many_are_read(engine: Engine, page: int) -> None:
    every = engine.audit_events()
    assert list(iter_events(engine, page=page, limit=5)) == every[:5]
    assert list(iter_events(engine, page=page, limit=0)) == []
    assert list(iter_events(engine, page=page, limit=2, after=every[0])) == every[1:3]
    assert list(iter_events(engine, page=page, limit=10_000)) == every


def test_after_and_limit_of_the_wrong_kind_are_named(engine: Engine) -> None:
    with pytest.raises(TypeError, match="after: the last AuditEvent"):
        iter_events(engine, after="pi-1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"limit: not negative \(-1\)"):
        iter_events(engine, limit=-1)


def test_filters_still_pass_through(engine: Engine) -> None:
    found = list(iter_events(engine, page=1, kind="instance.created"))
    assert [e.instance_id for e in found] == ["pi-1", "pi-2", "pi-3"]
