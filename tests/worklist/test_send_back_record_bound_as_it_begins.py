"""The record of work sent back is bound to the activity instance the send-back began as that
instance begins, also when an engine that leaves automatic work to workers begins it later in a
``continue`` job, and goes when that instance closes without offering (nobody got the work).
A multi-instance activity's record names its container under ``container`` alone, the one key
of it the release before knows (any other it hands on to the people told)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.runtime.test_assignments import _assignments
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, WorkItemState
from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.build_arguments import multi_instance, standard_loop
from wfengine.definition.model import Activity
from wfengine.definition.model_activities import Mode, TaskImplementation, TaskKind, ToolCall


def _told(e: Engine, iid: str, work_item_id: str) -> list[tuple[str, object, object]]:
    return [
        (x.kind, x.payload.get("reason"), x.payload.get("holder"))
        for x in e.outbox.entries(instance_id=iid)
        if x.payload.get("work_item_id") == work_item_id
    ]


@pytest.mark.parametrize("store", ["memory", "sqlite"])
@pytest.mark.parametrize("defer", [False, True])
def test_work_sent_back_to_an_activity_whose_loop_then_does_not_run_is_not_told_later(
    store: str, defer: bool, tmp_path: Path
) -> None:
    """figures (applications first, then a clerk confirms; a start assignment sets the
    while loop's condition) runs no round on the way back: nobody got the work sent back.
    When check sends the instance round again, figures' work is offered as usual, not
    allocated to bob as sent back for the old reason: on an engine that begins figures in a
    worker's ``continue`` job as on one that begins it in the send-back's command."""
    apps = ApplicationRegistry()
    apps.register("calc", lambda: None)
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    directory = Organisation.from_data(ORG)
    with Engine(db_url=url, directory=directory, applications=apps, defer_automatic=defer) as e:
        pb = PackageBuilder("pkg")
        pb.application("calc")
        p = pb.process("p")
        p.data_field("go", "BOOLEAN", initial="true")
        p.data_field("want", "BOOLEAN", initial="true")
        p.data_field("again", "BOOLEAN", initial="false")
        p.route("s")
        p.route("in", join="Exclusive")
        p.add_activity(
            Activity(
                id="figures",
                performers=("clerk",),
                finish_mode=Mode.MANUAL,
                body=TaskImplementation(
                    task=TaskKind.APPLICATION, tools=(ToolCall(application_id="calc"),)
                ),
                loop=standard_loop("go", test_time="Before", maximum=1),
                extras=(_assignments(("Start", "go", "want")),),
            )
        )
        p.activity("check", performer="accountant", writes=["again", "want"])
        p.route("end")
        p.transition("s", "in").transition("in", "figures").transition("figures", "check")
        p.transition("check", "in", condition="again").transition("check", "end", otherwise=True)
        e.deploy(pb.build())
        iid = e.start_process("p")
        e.run_due_jobs()
        (f,) = e.work_items(iid)
        e.complete_work_item(f.id, user="bob")
        e.run_due_jobs()
        (c,) = e.work_items(iid)
        e.claim_work_item(c.id, "dan")
        e.set_data(iid, {"want": False})  # figures' loop will not run on the way back
        e.send_back_work_item(c.id, "dan", "figures", "old reason")
        e.run_due_jobs()  # (a worker begins figures: it closes at once)
        assert e.store.instance(iid).sent_back == {}
        (c,) = e.work_items(iid)
        assert c.activity_id == "check"
        if c.holder is None:
            e.claim_work_item(c.id, "dan")
        e.complete_work_item(c.id, {"again": True, "want": True}, user="dan")
        e.run_due_jobs()
        (w,) = e.work_items(iid)
        assert (w.activity_id, w.state, w.holder) == ("figures", WorkItemState.OFFERED, None)
        assert _told(e, iid, w.id) == [("work_item.offered", None, None)]


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_multi_instance_record_names_its_container_alone(store: str, tmp_path: Path) -> None:
    """Work sent back to a sequential multi-instance activity: the stored record names its
    container under ``container`` only, and each instance of the round is told why."""
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        pb.data_field("k", "INTEGER", initial="2")
        p = pb.process("p")
        p.activity("m", performer="clerk", loop=multi_instance("k", ordering="Sequential"))
        p.activity("z", performer="clerk")
        p.transition("m", "z")
        e.deploy(pb.build())
        iid = e.start_process("p")
        for _ in range(2):
            (w,) = e.work_items(iid)
            e.complete_work_item(w.id, user="alice")
        (z,) = e.work_items(iid)
        e.claim_work_item(z.id, "bob")
        e.send_back_work_item(z.id, "bob", "m", "redo m")
        (record,) = e.store.instance(iid).sent_back.values()
        container = next(
            a.id for a in e.activity_instances(iid) if a.activity_id == "m" and a.state.is_open
        )
        assert record["container"] == container
        assert "activity_instance" not in record
        for _ in range(2):
            (w,) = e.work_items(iid)
            sent = [
                x.payload
                for x in e.outbox.entries(instance_id=iid)
                if x.payload.get("work_item_id") == w.id
            ]
            assert [(s["reason"], "container" in s, "activity_instance" in s) for s in sent] == [
                ("redo m", False, False)
            ]
            e.complete_work_item(w.id, user="alice")
        assert e.store.instance(iid).sent_back == {}  # (gone with its container)


def test_a_record_an_earlier_release_left_behind_is_not_taken_later(tmp_path: Path) -> None:
    """An earlier release bound no record as its reach began: one whose reach closed without
    offering stayed in the stored instance (here written into it, as that release left it).
    Nothing can take it now (no figures open, none parked to begin): when check sends the
    instance round again, figures' work is offered as usual, and the record is gone."""
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.data_field("again", "BOOLEAN", initial="false")
        p.route("s")
        p.route("in", join="Exclusive")
        p.activity("figures", performer="clerk")
        p.activity("check", performer="accountant", writes=["again"])
        p.route("end")
        p.transition("s", "in").transition("in", "figures").transition("figures", "check")
        p.transition("check", "in", condition="again").transition("check", "end", otherwise=True)
        e.deploy(pb.build())
        iid = e.start_process("p")
        (f,) = e.work_items(iid)
        e.complete_work_item(f.id, user="bob")
        (c,) = e.work_items(iid)
        e.claim_work_item(c.id, "dan")
    left = {
        "holder": "bob",
        "reason": "old reason",
        "sent_by": "dan",
        "from_activity": "check",
        "from_work_item_id": "wi-0",
    }
    with sqlite3.connect(tmp_path / "wf.db") as db:
        (blob,) = db.execute("SELECT state_blob FROM process_instances").fetchone()
        doc = json.loads(blob)
        doc["sent_back"] = {"0/figures": left}
        db.execute("UPDATE process_instances SET state_blob = ?", (json.dumps(doc),))
    with Engine(db_url=url, directory=Organisation.from_data(ORG)) as e:
        assert e.store.instance(iid).sent_back == {"0/figures": left}  # (it loads)
        e.complete_work_item(c.id, {"again": True}, user="dan")
        (w,) = e.work_items(iid)
        assert (w.activity_id, w.state, w.holder) == ("figures", WorkItemState.OFFERED, None)
        assert _told(e, iid, w.id) == [("work_item.offered", None, None)]
        assert e.store.instance(iid).sent_back == {}
