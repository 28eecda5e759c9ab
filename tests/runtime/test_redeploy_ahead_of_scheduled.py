"""Deploying the file of the version that starts instances now, while a newer version waits
for its ``ValidFrom``, keeps the current version: a host that deploys its files at every start
makes no new versions, and the scheduled version starts once its period holds. Before, each
such deploy made a new copy of the current version, the newest valid version for ever after,
so the scheduled one never started. An older file deployed again once a newer version starts
instances (a rollback) still makes a new version, which starts from then on."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.errors import DeployError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine


def _package(activity: str, valid_from: str | None = None, *, broken: bool = False) -> Package:
    """Process ``p`` doing ``activity``, valid from ``valid_from`` (the clock: 2000-01-01)."""
    pb = PackageBuilder("pkg")
    pb.process("p").activity(activity, script="x = = 1" if broken else None)
    package = pb.build()
    (process,) = package.workflow_processes
    header = process.header.model_copy(update={"valid_from": valid_from})
    return package.model_copy(
        update={"workflow_processes": (process.model_copy(update={"header": header}),)}
    )


CURRENT = _package("old")
SCHEDULED = _package("new", "2000-07-01")


def _started(engine: Engine) -> tuple[int, list[str]]:
    iid = engine.start_process("p")
    return engine.instance(iid).version, engine.trace(iid)


def test_redeploying_the_current_file_keeps_it_and_the_scheduled_version_starts_later(
    engine: Engine, clock: VirtualClock
) -> None:
    assert [d.version for d in engine.deploy(CURRENT)] == [1]
    assert [d.version for d in engine.deploy(SCHEDULED)] == [2]
    for _ in range(3):  # a host deploying both files at every start
        assert [d.version for d in engine.deploy(CURRENT)] == [1]
        assert [d.version for d in engine.deploy(SCHEDULED)] == [2]
    assert engine.store.versions("p") == [1, 2]
    assert _started(engine) == (1, ["old"])
    clock.advance(timedelta(days=200))  # 2000-07-19: the scheduled version's period holds
    assert _started(engine) == (2, ["new"])


def test_deploying_an_older_file_after_a_newer_version_took_over_is_a_rollback(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.deploy(CURRENT)
    engine.deploy(SCHEDULED)
    clock.advance(timedelta(days=200))  # version 2 starts instances now
    (rolled_back,) = engine.deploy(CURRENT)
    assert rolled_back.version == 3
    assert _started(engine) == (3, ["old"])
    assert [d.version for d in engine.deploy(CURRENT)] == [3]  # the latest: kept


def test_a_changed_file_ahead_of_a_scheduled_version_is_a_new_version(
    engine: Engine,
) -> None:
    engine.deploy(CURRENT)
    engine.deploy(SCHEDULED)
    (changed,) = engine.deploy(_package("fixed"))
    assert changed.version == 3
    assert _started(engine) == (3, ["fixed"])


def test_the_current_file_deployed_after_a_refused_one_keeps_its_version_and_starts(
    engine: Engine,
) -> None:
    engine.deploy(CURRENT)
    engine.deploy(SCHEDULED)
    with pytest.raises(DeployError, match=r"process 'p' cannot be deployed"):
        engine.deploy(_package("bad", broken=True))  # refused: p no longer starts by id
    assert engine.refusal("p") is not None
    assert [d.version for d in engine.deploy(CURRENT)] == [1]
    assert engine.refusal("p") is None
    assert _started(engine) == (1, ["old"])


def test_a_sqlite_host_restarting_keeps_its_versions(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'restarts.db'}"
    clock = VirtualClock()
    for _ in range(3):  # three host starts, each deploying both files
        with Engine(db_url=url, clock=clock) as engine:
            got = [d.version for pkg in (CURRENT, SCHEDULED) for d in engine.deploy(pkg)]
            assert got == [1, 2]
    with Engine(db_url=url, clock=clock) as engine:
        engine.deploy(CURRENT)  # only the current file, after a restart
        assert engine.store.versions("p") == [1, 2]
        assert _started(engine) == (1, ["old"])
        clock.advance(timedelta(days=200))
    with Engine(db_url=url, clock=clock) as engine:
        assert _started(engine) == (2, ["new"])


def _pair(activity: str, valid_from: str | None = None, *, broken: bool = False) -> Package:
    """Package ``pk``: process ``p`` as :func:`_package` makes it, and ``q``."""
    pb = PackageBuilder("pk")
    pb.process("p").activity(activity)
    pb.process("q").activity("job", script="x = = 1" if broken else None)
    package = pb.build()
    processes = tuple(
        w.model_copy(update={"header": w.header.model_copy(update={"valid_from": valid_from})})
        if w.id == "p"
        else w
        for w in package.workflow_processes
    )
    return package.model_copy(update={"workflow_processes": processes})


def test_a_strict_deploy_refused_for_another_process_leaves_the_current_one_starting(
    engine: Engine,
) -> None:
    engine.deploy(_pair("old"))
    engine.deploy(_pair("new", "2000-07-01"))  # p v2 waits for July
    with pytest.raises(DeployError, match=r"'q'"):
        engine.deploy(_pair("old", broken=True), strict=True)
    assert engine.refusal("p") is None  # p as deployed is the version that starts now
    assert _started(engine) == (1, ["old"])
    with pytest.raises(DeployError, match=r"'q'"):
        engine.deploy(_pair("other", broken=True), strict=True)  # a changed p: refused too
    with pytest.raises(DeployError, match=r"strict=True.*package 'pk'.*'q'"):
        engine.start_process("p")
