"""An id filter of ``Engine.audit_events`` (instance, process, activity, user) that is not one
id (a list of ids, a number) is a ``TypeError`` naming the call and the argument, on every
store alike. It was a bare ``sqlite3.ProgrammingError`` on SQLite and an empty list in memory
(read as "nothing happened"), as the instance listings' ``process_id`` was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    org = Organisation.from_data({"users": [{"id": "ann", "roles": ["clerk"]}]})
    with Engine(clock=VirtualClock(), db_url=url, directory=org) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("a", performer="clerk")
        e.deploy(pb.build())
        iid = e.start_process("p")
        (item,) = e.work_items(iid)
        e.complete_work_item(item.id, user="ann")
        yield e


_WHAT = {
    "instance_id": "instance id",
    "process_id": "process id",
    "activity_id": "activity id",
    "user": "user id",
}


@pytest.mark.parametrize("bad", [["p"], 5, ("p",)], ids=["list", "int", "tuple"])
@pytest.mark.parametrize("name", sorted(_WHAT))
def test_an_id_filter_that_is_not_one_id_is_a_type_error(
    engine: Engine, name: str, bad: object
) -> None:
    with pytest.raises(TypeError, match=f"audit_events: {name} must be one {_WHAT[name]}"):
        engine.audit_events(**{name: bad})  # type: ignore[arg-type]


def test_one_id_still_filters(engine: Engine) -> None:
    (iid,) = [s.id for s in engine.instance_summaries()]
    every = engine.audit_events()
    assert engine.audit_events(process_id="p") == every
    assert engine.audit_events(instance_id=iid) == every
    assert engine.audit_events(process_id="q") == []
    done = engine.audit_events(activity_id="a", user="ann")
    assert done and all(e.activity_id == "a" and e.user == "ann" for e in done)


def test_iter_events_refuses_a_list_filter_before_a_writer_writes_anything() -> None:
    import io

    from wfengine import Engine, iter_events, write_csv

    with Engine() as engine:
        with pytest.raises(TypeError, match="iter_events: process_id must be one process id"):
            iter_events(engine, process_id=["p"])
        out = io.StringIO()
        with pytest.raises(TypeError, match="iter_events: user"):
            write_csv(iter_events(engine, user=["u"]), out)
        assert out.getvalue() == ""  # (no header written before the refusal)
