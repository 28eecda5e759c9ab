"""A running ``wfengine worker`` offers work by the organisation ``wfengine org load`` stored
last, not the one it read when it started (it looks for a new revision between polls).

Driven by progress: the worker's engine is opened (reading the first organisation) before the
load, as a running worker's thread engines are, and the worker runs until idle.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine.cli.database import open_engine
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.worker import Worker
from wfengine.worklist.org_store import organisation_revision, save_organisation
from wfengine.worklist.org_watch import OrganisationWatch
from wfengine.worklist.organisation import Organisation


def _org(*clerks: str) -> Organisation:
    return Organisation.from_data({"users": [{"id": c, "roles": ["clerk"]} for c in clerks]})


def _desk() -> PackageBuilder:
    pb = PackageBuilder("desk")
    pb.participant("clerk", type="ROLE")
    p = pb.process("ticket")
    p.start("s")
    p.activity("answer", performer="clerk")
    p.end("e")
    p.sequence("s", "answer", "e")
    return pb


def _load(url: str, organisation: Organisation) -> None:
    loader = open_engine(url)
    try:
        assert isinstance(loader.store, SqlStore)
        save_organisation(loader.store, organisation)
    finally:
        loader.close()


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    _load(url, _org("ann"))
    setup = open_engine(url)
    try:
        setup.deploy(_desk().build())
    finally:
        setup.close()
    return url


def _run_until_idle(engine: Engine) -> None:
    Worker(lambda: engine, until_idle=True, poll=0.05).run()


def test_a_running_worker_offers_work_by_the_organisation_loaded_since(url: str) -> None:
    running = open_engine(url, defer=False)  # the worker's thread engine: it read ann's
    _load(url, _org("ben"))  # ann left, ben joined
    starter = open_engine(url)  # defers: the automatic work is the worker's
    try:
        instance_id = starter.start_process("ticket")
    finally:
        starter.close()

    _run_until_idle(running)

    reader = open_engine(url)
    try:
        assert [w.assignees for w in reader.work_items(instance_id=instance_id)] == [("ben",)]
    finally:
        reader.close()


def test_the_watch_reads_the_organisation_only_when_its_revision_changed(url: str) -> None:
    engine = open_engine(url)
    try:
        assert isinstance(engine.store, SqlStore)
        first = organisation_revision(engine.store)
        watch = OrganisationWatch(first, engine.directory)
        before = engine.directory
        assert watch.refresh(engine) is False and engine.directory is before  # unchanged
        save_organisation(engine.store, _org("ben"))
        assert organisation_revision(engine.store) == first + 1
        assert watch.refresh(engine) is True
        directory = engine.directory
        assert isinstance(directory, Organisation)
        assert directory.user("ben") is not None and directory.user("ann") is None
        assert watch.refresh(engine) is False  # read once per load, not per poll
    finally:
        engine.close()


def test_the_worker_looks_at_the_revision_at_most_once_a_second(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A busy worker polls after every job it claims; the watch looks at its first poll and
    then at most once every ``every`` seconds, not once per claim (a statement more per job)."""
    import wfengine.worklist.org_watch as org_watch

    looks = 0
    real = organisation_revision

    def counted(store: SqlStore) -> int:
        nonlocal looks
        looks += 1
        return real(store)

    monkeypatch.setattr(org_watch, "organisation_revision", counted)
    now = [100.0]
    monkeypatch.setattr(org_watch, "monotonic", lambda: now[0])
    with open_engine(url, defer=False) as engine:
        watch = OrganisationWatch(0, engine.directory, every=1.0)
        for _ in range(50):
            watch(engine)
        assert looks == 1  # the first poll, then none within the second
        now[0] += 1.0
        watch(engine)
        watch(engine)
        assert looks == 2
