"""A ``process_id`` filter that is not one process id (a list of ids, a number) is a
``TypeError`` naming the call and the argument, on every store alike. It was a bare
``sqlite3.ProgrammingError`` on SQLite and an empty list in memory (and a number listed
nothing anywhere), read as "no work"."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, connect
from wfengine.worklist.worklists import worklist


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=VirtualClock(), db_url=url) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("a", performer="clerk")
        e.deploy(pb.build())
        e.start_process("p")
        yield e


_CALLS: dict[str, Callable[[Engine, Any], object]] = {
    "work_items_of": lambda e, p: e.work_items_of("clerk", process_id=p),
    "instance_summaries": lambda e, p: e.instance_summaries(process_id=p),
    "instances": lambda e, p: e.instances(process_id=p),
    "open_work_list": lambda e, p: connect(e, "clerk").open_work_list(process_id=p),
    "open_process_instances_list": lambda e, p: connect(e, "clerk").open_process_instances_list(
        process_id=p
    ),
}


@pytest.mark.parametrize("bad", [["p"], 5, ("p",)], ids=["list", "int", "tuple"])
@pytest.mark.parametrize("call", sorted(_CALLS))
def test_a_process_id_that_is_not_one_id_is_a_type_error(
    engine: Engine, call: str, bad: object
) -> None:
    with pytest.raises(TypeError, match=f"{call}: process_id must be one process id"):
        _CALLS[call](engine, bad)


def test_one_process_id_still_filters(engine: Engine) -> None:
    assert [w.activity_id for w in engine.work_items_of("clerk", process_id="p")] == ["a"]
    assert [e.process_id for e in worklist(engine, "clerk", process_id="p")] == ["p"]
    assert len(list(connect(engine, "clerk").open_work_list(process_id="p"))) == 1
    assert len(engine.instance_summaries(process_id="p")) == 1
