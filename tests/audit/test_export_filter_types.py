"""Every filter of the export writers is checked as ``Engine.audit_events`` checks it, before
anything is written.

Found by a QA pass: ``write_xes(engine, out, activity_id=["submit"])`` and ``user=5`` wrote
an empty, valid-looking log and raised nothing (the XES filter compared the event's activity
with a list: no event matched), ``instance_id=5`` raised its ``TypeError`` only after the XML
header (671 bytes) was in the file, and a ``process_id`` of the wrong kind was blamed on
``instance_summaries``, which the caller never called. ``iter_events(engine, since="2024")``
gave its error only at the first read, so ``write_csv`` had written its header row before
it. ``audit_events`` refuses each at once."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from wfengine import (
    Engine,
    Organisation,
    PackageBuilder,
    iter_events,
    write_csv,
    write_jsonl,
    write_xes,
)

#: (filters, the error audit_events gives, what it says)
WRONG: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"activity_id": ["a"]}, TypeError, "activity_id must be one activity id"),
    ({"user": 5}, TypeError, "user must be one user id"),
    ({"instance_id": 5}, TypeError, "instance_id must be one instance id"),
    ({"process_id": ["t"]}, TypeError, "process_id must be one process id"),
    ({"kind": 5}, TypeError, "kind is a kind of audit event"),
    ({"kind": "activity.startd"}, ValueError, "no kind of audit event"),
    ({"since": "2024-01-01"}, TypeError, "since: a datetime with a timezone"),
    ({"until": datetime(2024, 1, 1)}, ValueError, "until: a time with a timezone"),
]


@pytest.fixture
def engine() -> Engine:
    pb = PackageBuilder("desk")
    pb.process("t").activity("a", performer="clerk")
    e = Engine(directory=Organisation.from_data({"users": [{"id": "ada", "roles": ["clerk"]}]}))
    e.deploy(pb.build())
    iid = e.start_process("t")
    (item,) = e.work_items(iid)
    e.complete_work_item(item.id, user="ada")
    return e


def _writers(engine: Engine) -> dict[str, tuple[Callable[..., object], io.IOBase]]:
    text, binary = io.StringIO(), io.BytesIO()
    return {
        "write_xes": (lambda **f: write_xes(engine, binary, **f), binary),
        "write_csv": (lambda **f: write_csv(iter_events(engine, **f), text), text),
        "write_jsonl": (lambda **f: write_jsonl(iter_events(engine, **f), text), text),
    }


@pytest.mark.parametrize(("filters", "error", "says"), WRONG, ids=lambda v: repr(v)[:30])
@pytest.mark.parametrize("writer", ["write_xes", "write_csv", "write_jsonl"])
def test_a_wrong_filter_is_refused_as_audit_events_refuses_it_and_nothing_is_written(
    engine: Engine,
    writer: str,
    filters: dict[str, Any],
    error: type[Exception],
    says: str,
) -> None:
    with pytest.raises(error, match=says):
        engine.audit_events(**filters)
    write, out = _writers(engine)[writer]
    caller = "write_xes" if writer == "write_xes" else "iter_events"
    with pytest.raises(error, match=f"^{caller}: .*{says}"):
        write(**filters)
    assert out.getvalue() in ("", b"")


@pytest.mark.parametrize(("filters", "error", "says"), WRONG, ids=lambda v: repr(v)[:30])
def test_iter_events_refuses_when_made_not_at_its_first_read(
    engine: Engine, filters: dict[str, Any], error: type[Exception], says: str
) -> None:
    with pytest.raises(error, match=f"^iter_events: .*{says}"):
        iter_events(engine, **filters)


def test_filters_of_the_right_kind_still_select(engine: Engine) -> None:
    out = io.BytesIO()
    assert write_xes(engine, out, activity_id="a", user="ada") > 0
    assert set(re.findall(rb'key="org:resource" value="([^"]*)"', out.getvalue())) == {b"ada"}
    assert write_xes(engine, io.BytesIO(), activity_id="b") == 0
    assert write_xes(engine, io.BytesIO(), instance_id="pi-none") == 0
