"""iter_events refuses a keyword that is no filter (``instance=`` for ``instance_id=``) when the
iterator is made, as write_xes refuses it: ``iter_events: no filter 'instance' (the filters:
...)``. It was ``Queries.audit_events() got an unexpected keyword argument 'instance'`` at the
first read, naming a method the caller never called (after write_csv had written its header)."""

from __future__ import annotations

import io

import pytest

from wfengine import Engine, PackageBuilder, iter_events, write_csv, write_xes

FILTERS = "process_id, instance_id, activity_id, user, kind, since, until"


def _engine() -> Engine:
    e = Engine()
    pb = PackageBuilder("desk")
    pb.process("t").activity("a", performer="clerk")
    e.deploy(pb.build())
    e.start_process("t")
    return e


@pytest.mark.parametrize("name", ["instance", "process", "kinds"])
def test_a_keyword_that_is_no_filter_is_refused_as_write_xes_refuses_it(name: str) -> None:
    e = _engine()
    said = rf"no filter '{name}' \(the filters: {FILTERS}\)$"
    with pytest.raises(TypeError, match=rf"^iter_events: {said}"):
        iter_events(e, **{name: "x"})
    with pytest.raises(TypeError, match=rf"^write_xes: {said}"):
        write_xes(e, io.BytesIO(), **{name: "x"})


def test_every_filter_is_taken() -> None:
    e = _engine()
    (iid,) = [s.id for s in e.instance_summaries()]
    chosen = {
        "process_id": "t",
        "instance_id": iid,
        "activity_id": "a",
        "kind": "work_item.offered",
    }
    out = io.StringIO()
    assert write_csv(iter_events(e, **chosen), out) == 1
