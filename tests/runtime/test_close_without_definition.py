"""An operator can always end an instance: terminate and abort close one whose stored process
version no longer compiles (stored by another wfengine, or edited by hand), or whose package
does not even read, as far as its stored document names what is open, audited; every other
command on it still fails with the version's DeployError."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import rewrite_stored
from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.errors import DeployError
from wfengine.runtime.sql import schema
from wfengine.runtime.states import WorkItemState


def _desk(engine: Engine) -> None:
    pb = PackageBuilder("desk")
    p = pb.process("desk")
    p.activity(
        "answer",
        performer="clerk",
        extended={"wfengine:reminder-after": "PT5M", "wfengine:reminder-every": "PT5M"},
    )
    s = p.activity_set("inner")
    s.activity("check", performer="clerk")
    p.block("blk", activity_set="inner")
    engine.deploy(pb.build())


def _break(db_url: str) -> None:
    """A stored process this wfengine cannot compile (a reminder of no duration at all)."""
    rewrite_stored(db_url, "desk", '"wfengine:reminder-every"', '"AssignToPerformerOfActivity"')


def _unreadable(db_url: str) -> None:
    """A stored package that does not even read (its text and model edited by hand)."""
    d = schema.deployments
    with Engine(db_url=db_url) as e, e.store.sa_engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(sa.update(d).values(xpdl="<not xpdl", model=None))


@pytest.mark.parametrize("verb", ["terminate", "abort"])
def test_an_instance_whose_stored_process_no_longer_compiles_can_be_closed(
    db_url: str, verb: str, caplog: pytest.LogCaptureFixture
) -> None:
    with Engine(db_url=db_url) as e:
        _desk(e)
        iid = e.start_process("desk")
        assert len(e.work_items(iid)) == 2 and e.jobs(iid)
    _break(db_url)
    with caplog.at_level(logging.WARNING, logger="wfengine.engine"), Engine(db_url=db_url) as e:
        getattr(e, verb)(iid, user="operator")
        state = ProcessState.TERMINATED if verb == "terminate" else ProcessState.ABORTED
        assert e.instance_summary(iid).state is state
        assert e.store.open_work_items() == [] and e.jobs(iid) == []  # reminders gone too
        items = [e.store.work_item(i) for i in ("wi-1", "wi-2")]
        assert {i.state for i in items} == {WorkItemState.CANCELLED}
        closed = {a.activity_id: a.state.value for a in e.store.activity_history(iid)}
        ended = f"closed.{state.value.split('.')[1]}"
        assert closed == {"answer": ended, "blk": ended, "check": ended}  # named as they were
        kinds = [ev.kind for ev in e.audit(iid)]  # its trail still reads, as the engine's
        assert kinds.count("work_item.cancelled") == 2
        assert kinds[-1] == "instance.state"
        assert e.audit(iid)[-1].detail["user"] == "operator"
        with pytest.raises(DeployError, match="does not compile"):  # only closing stands in
            e.instance(iid)
    assert f"{verb} {iid} without its process definition" in caplog.text


def test_an_instance_whose_stored_package_does_not_read_can_be_terminated(db_url: str) -> None:
    with Engine(db_url=db_url) as e:
        _desk(e)
        iid = e.start_process("desk")
    _unreadable(db_url)
    with Engine(db_url=db_url) as e:
        e.terminate(iid)
        assert e.instance_summary(iid).state is ProcessState.TERMINATED
        assert e.store.open_work_items() == [] and e.jobs(iid) == []


def test_a_closed_instance_whose_process_no_longer_compiles_is_not_closed_again(
    db_url: str,
) -> None:
    from wfengine.errors import IllegalStateError

    with Engine(db_url=db_url) as e:
        _desk(e)
        iid = e.start_process("desk")
    _break(db_url)
    with Engine(db_url=db_url) as e:
        e.abort(iid)
        with pytest.raises(IllegalStateError):
            e.terminate(iid)
        assert e.instance_summary(iid).state is ProcessState.ABORTED


def test_the_cli_terminates_an_instance_whose_stored_process_no_longer_compiles(
    tmp_path: Path,
) -> None:
    from tests.cli.databases import cli

    url = f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url) as e:
        _desk(e)
        iid = e.start_process("desk")
    _break(url)
    done = cli("instance", "terminate", iid, "--db", url)
    assert (done.exit_code, done.stdout) == (0, f"{iid} closed.terminated\n")
