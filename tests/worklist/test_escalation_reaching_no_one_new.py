"""An escalation that would offer late work only to people it is offered to already reaches no
one: an incident, as for an escalation that reaches nobody at all, not a ``work_item.escalated``
that changed nothing.

Before: the managers' late item "escalated" to erin, who had it already: the trail said so,
nobody new was told, and no incident showed that the work was stuck.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, WorkItemState

#: carol supervises sales (she is in it herself), erin management above it: both managers
ORG: dict[str, Any] = {
    "users": [
        {"id": "carol", "roles": ["manager"], "units": ["sales"]},
        {"id": "erin", "roles": ["manager"], "units": ["management"]},
    ],
    "units": [
        {"id": "management", "supervisor": "erin"},
        {"id": "sales", "supervisor": "carol", "parent": "management"},
    ],
}


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        late = {"wfengine:escalate-after": "PT1H"}
        pb.process("p").activity("decide", performer="manager", extended=late)
        to_managers = {**late, "wfengine:escalate-to": "manager"}
        pb.process("q").activity("decide", performer="manager", extended=to_managers)
        e.deploy(pb.build())
        yield e
        check_history(e)


def _late(e: Engine, process: str) -> tuple[str, str]:
    iid = e.start_process(process)
    (item,) = e.work_items(iid)
    assert item.assignees == ("carol", "erin")
    clock = e.clock
    assert isinstance(clock, VirtualClock)
    clock.advance(timedelta(hours=1))
    e.run_due_jobs()
    return iid, item.id


@pytest.mark.parametrize("process", ["p", "q"])
def test_an_escalation_to_those_who_have_it_is_an_incident(engine: Engine, process: str) -> None:
    iid, item_id = _late(engine, process)
    assert [x for x in engine.audit(iid) if x.kind == "work_item.escalated"] == []
    item = engine.work_item(item_id)
    assert (item.state, item.assignees) == (WorkItemState.OFFERED, ("carol", "erin"))
    (incident,) = engine.incidents(iid)
    assert "escalation reaches no one" in incident.message
    assert "'erin', who have it already" in incident.message

    # the organisation gives erin a supervisor: the retry reaches her
    boss = {
        "users": [*ORG["users"], {"id": "olga", "units": ["board"]}],
        "units": [{"id": "board", "supervisor": "olga"}, *ORG["units"]],
    }
    boss["units"][1] = {**boss["units"][1], "parent": "board"}
    engine.directory = Organisation.from_data(boss)
    engine.retry_incident(incident.id)
    engine.run_due_jobs()  # (the retry sets the parked escalation due again)
    assert engine.work_item(item_id).assignees == ("carol", "erin", "olga")
    (escalated,) = [x for x in engine.audit(iid) if x.kind == "work_item.escalated"]
    assert escalated.detail["to"] == ["erin", "olga"]  # carol's and erin's nearest
    assert engine.incidents(iid) == []
