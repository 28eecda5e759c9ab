"""A closed activity instance still names the subflow instance it ran and the work item that
was done on it (its snapshot, and so the status, the exports and WAPI).

Before: activity ``c`` showed ``subflow_instance_id='pi-2'`` while it ran and None once it
closed, and a person's activity never showed its work item once it was done.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import Engine, Organisation, PackageBuilder, ProcessState, VirtualClock


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    org = Organisation.from_data({"users": [{"id": "alice", "roles": ["clerk"]}]})
    with Engine(clock=VirtualClock(), db_url=url, directory=org) as e:
        pb = PackageBuilder("pkg")
        pb.participant("clerk")
        pb.process("sub").activity("s1", performer="clerk")
        p = pb.process("p")
        p.subflow("c", process="sub")
        p.activity("d", performer="clerk")
        p.transition("c", "d")
        e.deploy(pb.build())
        yield e
        check_history(e)


def _links(e: Engine, iid: str) -> dict[str, tuple[str | None, str | None]]:
    return {
        a.activity_id: (a.subflow_instance_id, a.work_item_id) for a in e.activity_instances(iid)
    }


def test_a_closed_activity_names_its_subflow_and_its_work_item(engine: Engine) -> None:
    iid = engine.start_process("p")
    (child,) = [i.id for i in engine.instances() if i.id != iid]
    assert _links(engine, iid) == {"c": (child, None)}
    (s1,) = engine.work_items(child)
    engine.complete_work_item(s1.id, user="alice")
    (d,) = engine.work_items(iid)
    assert _links(engine, iid) == {"c": (child, None), "d": (None, d.id)}
    engine.complete_work_item(d.id, user="alice")
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert _links(engine, iid) == {"c": (child, None), "d": (None, d.id)}
    assert _links(engine, child) == {"s1": (None, s1.id)}
