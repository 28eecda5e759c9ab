"""run_due_jobs, fire_due_timers and outbox.entries check limit, kinds and instances before
they touch a store: the stores read a wrong one differently (limit=-1 ran no job in memory and
all of them on SQLite; kinds="continue", a string, all in memory and none on SQLite;
instances="pi-10" matched pi-1 too in memory; outbox.entries(limit=-1) listed all but one in
memory), and a misspelt kind ran nothing and said nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


@pytest.fixture(params=("memory", "sqlite"))
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=VirtualClock(), db_url=url) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("main")
        p.start("s").route("r").end("e").transition("s", "r").transition("r", "e")
        e.deploy(pb.build())
        yield e


def _started(engine: Engine, n: int) -> list[str]:
    """``n`` instances whose work waits in a due continue job each."""
    return [engine.start_process("main", defer=True) for _ in range(n)]


@pytest.mark.parametrize(
    ("arguments", "error", "says"),
    [
        ({"limit": -1}, ValueError, "run_due_jobs: limit: not negative"),
        ({"limit": 2.5}, TypeError, "run_due_jobs: limit: a whole number of jobs, not float"),
        ({"limit": "x"}, TypeError, "not str 'x'"),
        ({"limit": None}, TypeError, "not None"),
        ({"kinds": "continue"}, TypeError, "kinds: a collection of job kinds"),
        ({"kinds": ["continu"]}, ValueError, "no job kind 'continu' (one of: continue,"),
        ({"kinds": [1]}, TypeError, "kinds: job kinds"),
        ({"instances": "pi-10"}, TypeError, "instances: a collection of instance ids"),
        ({"instances": 10}, TypeError, "not int 10"),
    ],
)
def test_run_due_jobs_refuses_what_the_stores_would_read_differently(
    engine: Engine, arguments: dict[str, Any], error: type[Exception], says: str
) -> None:
    ids = _started(engine, 3)
    with pytest.raises(error) as caught:
        engine.run_due_jobs(**arguments)
    assert says in str(caught.value)
    assert all(engine.instance(i).state is ProcessState.RUNNING for i in ids)  # none ran
    assert len(engine.jobs()) == 3 and all(j.lock_owner is None for j in engine.jobs())


def test_run_due_jobs_takes_any_collection_of_kinds_and_exactly_the_instances_named(
    engine: Engine,
) -> None:
    ids = _started(engine, 10)
    assert engine.run_due_jobs(kinds={"continue"}, instances=[ids[9]]) == 1  # not pi-1 too
    assert [engine.instance(i).state is ProcessState.COMPLETED for i in ids].count(True) == 1
    assert engine.run_due_jobs(limit=0) == 0
    engine.job_handlers["archive"] = lambda nav, job, inst: None  # a host's own kind
    assert engine.run_due_jobs(kinds=("archive",)) == 0
    assert engine.run_due_jobs(instances=frozenset(ids[:2])) == 2


def test_fire_due_timers_refuses_one_instance_id_as_a_string(engine: Engine) -> None:
    with pytest.raises(TypeError, match="instances: a collection of instance ids"):
        engine.fire_due_timers(instances="pi-10")


@pytest.mark.parametrize(
    ("limit", "error", "says"),
    [(-1, ValueError, "not negative"), (2.5, TypeError, "a whole number of outbox entries")],
)
def test_outbox_entries_checks_its_limit_as_the_listings_do(
    engine: Engine, limit: Any, error: type[Exception], says: str
) -> None:
    pb = PackageBuilder("desk")
    pb.process("t").activity("a", performer="clerk")
    engine.deploy(pb.build())
    for _ in range(3):
        engine.start_process("t")
    entries = engine.outbox.entries()
    assert len(entries) > 2
    with pytest.raises(error, match=f"outbox.entries: limit: {says}"):
        engine.outbox.entries(limit=limit)
    assert engine.outbox.entries(limit=2) == entries[:2]


def test_a_lease_that_is_no_timedelta_is_refused_before_anything_is_claimed() -> None:
    """``run_due_jobs(lease=5)`` failed inside the claim with a bare TypeError."""
    refused = pytest.raises(TypeError, match=r"run_due_jobs\(lease=\.\.\.\) takes a timedelta")
    with Engine() as engine, refused:
        engine.run_due_jobs(lease=5)  # type: ignore[arg-type]
