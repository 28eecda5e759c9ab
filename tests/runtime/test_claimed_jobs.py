"""The jobs a SQL store claims come with their instances' rows: the commands that run them do
not read each job again, and a row that grew old since the claim is caught by the commit."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.states import ProcessState


def _package() -> Any:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("note", "STRING", initial="''")
    p.activity("a").activity("b").transition("a", "b")
    return pb.build()


@pytest.fixture
def engine(sql_engine: Engine) -> Engine:
    sql_engine.deploy(_package())
    return sql_engine


def _job_reads(engine: Engine) -> list[str]:
    """The statements that read a job with its instance, from now on."""
    store = engine.store
    assert isinstance(store, SqlStore)
    seen: list[str] = []

    def look(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        flat = " ".join(statement.split())
        if "FROM jobs JOIN process_instances" in flat and "AS pi_id" in flat:
            seen.append(flat)

    sa.event.listen(store.sa_engine, "before_cursor_execute", look)
    return seen


def test_the_commands_running_claimed_jobs_do_not_read_them_again(engine: Engine) -> None:
    ids = [engine.start_process("main", defer=True) for _ in range(3)]
    reads = _job_reads(engine)
    assert engine.run_due_jobs() == 3
    assert [engine.instance(i).state for i in ids] == [ProcessState.COMPLETED] * 3
    assert len(reads) == 1 and " IN " in reads[0]  # the claim's, for the three jobs


def test_an_instance_changed_since_the_claim_is_read_again(engine: Engine, db_url: str) -> None:
    """Another engine changes the instance between the claim and the job's command: the
    command's commit loses the race on the row it took from the claim, and the command runs
    again on a fresh read, keeping the other engine's change."""
    iid = engine.start_process("main", defer=True)
    with Engine(store=SqlStore(db_url), clock=VirtualClock()) as other:

        def after_the_claim(event: str, _owner: str, _jobs: Any) -> None:
            if event == "claimed":
                other.set_data(iid, {"note": "changed meanwhile"})

        engine.job_observer = after_the_claim
        reads = _job_reads(engine)
        assert engine.run_due_jobs() == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.instance(iid).data["note"] == "changed meanwhile"
    assert len(reads) == 2  # the claim's, then the command's own after the lost race
    assert engine.trace(iid) == ["a", "b"]
