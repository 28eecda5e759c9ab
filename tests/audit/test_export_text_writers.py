"""write_csv and write_jsonl refuse the engine (``write_csv(engine, f)``, called as
``write_xes`` is) and a binary file before they write anything, naming the writer: both were
a bare TypeError, the CSV's after its header was written."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import IO, Any

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, iter_events
from wfengine.audit import write_csv, write_jsonl


@pytest.fixture
def engine() -> Iterator[Engine]:
    clock = VirtualClock(datetime(2026, 1, 5, 9, tzinfo=UTC))
    with Engine(clock=clock) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.data_field("x", "INTEGER")
        p.activity("a", script="x = 1")
        e.deploy(pb.build())
        e.start_process("p")
        yield e


@pytest.mark.parametrize("writer", [write_csv, write_jsonl])
def test_the_text_writers_refuse_the_engine_before_writing(
    engine: Engine, writer: Callable[..., int]
) -> None:
    out = io.StringIO()
    with pytest.raises(TypeError, match=rf"^{writer.__name__} takes the events.*iter_events"):
        writer(engine, out)
    assert out.getvalue() == ""


@pytest.mark.parametrize("writer", [write_csv, write_jsonl])
def test_the_text_writers_refuse_a_binary_file_before_writing(
    engine: Engine, writer: Callable[[Any, IO[str]], int]
) -> None:
    out = io.BytesIO()
    with pytest.raises(TypeError, match=rf"^{writer.__name__} writes text.*BytesIO.*\"w\""):
        writer(iter_events(engine), out)  # type: ignore[arg-type]
    assert out.getvalue() == b""


def test_the_text_writers_still_take_a_text_file(engine: Engine) -> None:
    out = io.StringIO()
    assert write_csv(iter_events(engine), out) == len(engine.audit_events())
    assert out.getvalue().startswith("instance_id,seq,at,")
