"""An id that is not a string, given to a query, an incident or activity command or a WAPI
session, is a TypeError naming the command and the argument, on every store alike. It went on
to the store: a list was a bare "unhashable type: 'list'" in memory and a sqlalchemy
ProgrammingError on SQLite, and 10**30 a NotFoundError in memory but an OverflowError on
SQLite."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, connect

Call = Callable[[Engine, Any], object]


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    with Engine(clock=VirtualClock(), db_url=url) as e:
        pb = PackageBuilder("desk")
        pb.process("ticket").activity("answer", performer="clerk")
        e.deploy(pb.build())
        yield e


def _wapi(e: Engine) -> Any:
    return connect(e, "bob")


#: (command, argument, what the id is, the call with the bad id)
CALLS: list[tuple[str, str, str, Call]] = [
    ("retry_incident", "incident_id", "incident id", lambda e, v: e.retry_incident(v)),
    ("skip_incident", "incident_id", "incident id", lambda e, v: e.skip_incident(v)),
    ("abort_incident", "incident_id", "incident id", lambda e, v: e.abort_incident(v)),
    ("decision", "incident_id", "incident id", lambda e, v: e.decision(v)),
    ("instance", "instance_id", "process instance id", lambda e, v: e.instance(v)),
    ("instance_summary", "instance_id", "process instance id", lambda e, v: e.instance_summary(v)),
    (
        "activity_instances",
        "instance_id",
        "process instance id",
        lambda e, v: e.activity_instances(v),
    ),
    ("tokens", "instance_id", "process instance id", lambda e, v: e.tokens(v)),
    ("trace", "instance_id", "process instance id", lambda e, v: e.trace(v)),
    ("audit", "instance_id", "process instance id", lambda e, v: e.audit(v)),
    ("work_items", "instance_id", "process instance id", lambda e, v: e.work_items(v)),
    ("incidents", "instance_id", "process instance id", lambda e, v: e.incidents(v)),
    ("timers", "instance_id", "process instance id", lambda e, v: e.timers(v)),
    ("jobs", "instance_id", "process instance id", lambda e, v: e.jobs(v)),
    ("work_item", "work_item_id", "work item id", lambda e, v: e.work_item(v)),
    ("work_item_data", "work_item_id", "work item id", lambda e, v: e.work_item_data(v)),
    ("abandon_job", "job_id", "job id", lambda e, v: e.abandon_job(v, "stuck")),
    (
        "send_message",
        "instance_id",
        "process instance id",
        lambda e, v: e.send_message("go", instance_id=v),
    ),
    (
        "cancel_activity",
        "instance_id",
        "process instance id",
        lambda e, v: e.cancel_activity(v, "a"),
    ),
    (
        "cancel_activity",
        "activity_instance_id",
        "activity instance id",
        lambda e, v: e.cancel_activity("pi-1", v),
    ),
    (
        "create_process_instance",
        "process_id",
        "process id",
        lambda e, v: _wapi(e).create_process_instance(v),
    ),
    ("start_process", "instance_id", "process instance id", lambda e, v: _wapi(e).start_process(v)),
    (
        "terminate_process_instance",
        "instance_id",
        "process instance id",
        lambda e, v: _wapi(e).terminate_process_instance(v),
    ),
    (
        "change_process_instance_state",
        "instance_id",
        "process instance id",
        lambda e, v: _wapi(e).change_process_instance_state(v, "open.running"),
    ),
    (
        "change_activity_instance_state",
        "activity_instance_id",
        "activity instance id",
        lambda e, v: _wapi(e).change_activity_instance_state("pi-1", v, "closed.aborted"),
    ),
    (
        "assign_process_instance_attribute",
        "instance_id",
        "process instance id",
        lambda e, v: _wapi(e).assign_process_instance_attribute(v, "n", 1),
    ),
    (
        "get_process_instance",
        "instance_id",
        "process instance id",
        lambda e, v: _wapi(e).get_process_instance(v),
    ),
    (
        "open_activity_instances_list",
        "instance_id",
        "process instance id",
        lambda e, v: _wapi(e).open_activity_instances_list(v),
    ),
    (
        "get_activity_instance",
        "activity_instance_id",
        "activity instance id",
        lambda e, v: _wapi(e).get_activity_instance("pi-1", v),
    ),
    ("get_work_item", "work_item_id", "work item id", lambda e, v: _wapi(e).get_work_item(v)),
    (
        "get_work_item_attributes",
        "work_item_id",
        "work item id",
        lambda e, v: _wapi(e).get_work_item_attributes(v),
    ),
    (
        "complete_work_item",
        "work_item_id",
        "work item id",
        lambda e, v: _wapi(e).complete_work_item(v),
    ),
    (
        "reassign_work_item",
        "work_item_id",
        "work item id",
        lambda e, v: _wapi(e).reassign_work_item(v, "ann"),
    ),
    (
        "change_work_item_state",
        "work_item_id",
        "work item id",
        lambda e, v: _wapi(e).change_work_item_state(v, "allocated"),
    ),
    ("claim_work_item", "work_item_id", "work item id", lambda e, v: _wapi(e).claim_work_item(v)),
    ("start_work_item", "work_item_id", "work item id", lambda e, v: _wapi(e).start_work_item(v)),
    (
        "release_work_item",
        "work_item_id",
        "work item id",
        lambda e, v: _wapi(e).release_work_item(v),
    ),
    (
        "delegate_work_item",
        "work_item_id",
        "work item id",
        lambda e, v: _wapi(e).delegate_work_item(v, "ann"),
    ),
]


@pytest.mark.parametrize(("command", "name", "what", "call"), CALLS, ids=[c[0] for c in CALLS])
@pytest.mark.parametrize("bad", [["pi-1"], 10**30], ids=["list", "huge-int"])
def test_an_id_that_is_no_string_is_a_type_error_naming_it(
    engine: Engine, command: str, name: str, what: str, call: Call, bad: object
) -> None:
    iid = engine.start_process("ticket")
    before = engine.audit(iid)
    with pytest.raises(TypeError) as caught:
        call(engine, bad)
    said = str(caught.value)
    assert said.startswith(f"{command}: {name} must be one {what} (a string)")  # (or None)
    assert f", not {type(bad).__name__} " in said
    assert engine.audit(iid) == before  # nothing changed, no refusal recorded


def test_string_ids_still_reach_what_they_name(engine: Engine) -> None:
    iid = engine.start_process("ticket")
    (item,) = engine.work_items(iid)
    assert engine.work_item(item.id).instance_id == iid == engine.instance(iid).id
    assert engine.incidents(iid) == [] and engine.jobs(iid) == [] and engine.timers(iid) == []
    assert engine.work_items(None) == [item]
