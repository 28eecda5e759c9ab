"""A work item completed with no user and no data (the host's own code, ``wfengine run``) names
its item in the trail like every other work-item event (``event.work_item_id``, the CSV and
JSON Lines ``work_item_id`` column); a database written before, whose such completions are the
bare item id, still verifies, names the item and credits the holder."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from wfengine import (
    Engine,
    Organisation,
    PackageBuilder,
    process_metrics,
    write_csv,
    write_jsonl,
)
from wfengine.runtime import history, work_item_events

ORG = {"users": [{"id": "alice", "roles": ["clerk"]}]}


def _started(e: Engine) -> tuple[str, str]:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("a", performer="clerk")
    e.deploy(pb.build())
    iid = e.start_process("p")
    (item,) = e.work_items(iid)
    return iid, item.id


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_completion_with_no_user_names_its_item(store: str, tmp_path: Path) -> None:
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url) as e:
        iid, item = _started(e)
        e.complete_work_item(item)
        (done,) = e.audit_events(instance_id=iid, kind="work_item.completed")
        assert done.work_item_id == item
        assert done.payload == history.WorkItemCompleted(item)
        assert e.audit_events(instance_id=iid, kind="work_item.completed") == [done]
        csv_out, jsonl_out = io.StringIO(), io.StringIO()
        write_csv([done], csv_out)
        write_jsonl([done], jsonl_out)
    header, row = csv_out.getvalue().splitlines()
    assert dict(zip(header.split(","), row.split(",", 9), strict=True))["work_item_id"] == item
    assert json.loads(jsonl_out.getvalue())["work_item_id"] == item


def _old_detail(work_item_id: str, user: str | None, data: dict[str, Any] | None) -> Any:
    """What the writer recorded before: the bare id for a completion with no user or data."""
    if user is None and data is None:
        return work_item_id
    return {"work_item": work_item_id, "user": user, "data": data}


def test_an_old_bare_id_completion_still_verifies_names_its_item_and_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    with monkeypatch.context() as old:
        old.setattr(work_item_events, "_completed_detail", _old_detail)
        with Engine(db_url=url, directory=Organisation.from_data(ORG)) as e:
            iid, item = _started(e)
            e.claim_work_item(item, "alice")
            e.complete_work_item(item)
            (done,) = e.audit_events(instance_id=iid, kind="work_item.completed")
            assert done.detail == item  # the old shape is what is stored
    with Engine(db_url=url, directory=Organisation.from_data(ORG)) as e:
        assert e.verify_audit().ok
        (done,) = e.audit_events(instance_id=iid, kind="work_item.completed")
        assert done.work_item_id == item
        assert done.payload == history.WorkItemCompleted(item)
        users = process_metrics(e, "p").users
        assert [(u.user, u.completed) for u in users] == [("alice", 1)]
