"""``wfengine.use_stored_organisation(engine)``: a host's engine on a database offers work by
the organisation ``wfengine org load`` stored there, as the ``wfengine`` commands and workers
do. Without it, the host's ``Engine(db_url=...)`` offered the same activity to ``'clerk'``
(the participant id) while a worker offered it to the clerks, and only internal modules
could read the stored organisation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import wfengine
from tests.cli.databases import cli, sqlite_url
from wfengine import (
    Engine,
    PackageBuilder,
    StoreError,
    VirtualClock,
    Worker,
    use_stored_organisation,
)


def _org(tmp_path: Path, name: str, *clerks: str) -> str:
    path = tmp_path / name
    path.write_text(json.dumps({"users": [{"id": u, "roles": ["clerk"]} for u in clerks]}))
    return str(path)


def _engine(url: str) -> Engine:
    engine = Engine(clock=VirtualClock(), db_url=url)
    pb = PackageBuilder("pkg")
    pb.process("p").activity("a", performer="clerk")
    engine.deploy(pb.build())
    return engine


def test_a_host_engine_offers_by_the_stored_organisation(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    one = _org(tmp_path, "one.json", "alice", "bob")
    assert cli("org", "load", one, "--db", url).exit_code == 0
    with _engine(url) as engine:
        found = use_stored_organisation(engine)
        assert found is not None and found.knows("alice") and not found.knows("carol")
        (item,) = engine.work_items(engine.start_process("p"))
        assert item.assignees == ("alice", "bob")
        # a newer one, read when asked again: the open work is offered by it
        assert cli("org", "load", _org(tmp_path, "two.json", "carol"), "--db", url).exit_code == 0
        use_stored_organisation(engine)
        (again,) = engine.work_items(item.instance_id)
        assert again.assignees == ("carol",)


def test_none_stored_keeps_the_engines_directory(tmp_path: Path) -> None:
    with _engine(sqlite_url(tmp_path)) as engine:
        assert use_stored_organisation(engine) is None
        (item,) = engine.work_items(engine.start_process("p"))
        assert item.assignees == ("clerk",)


def test_the_memory_store_keeps_no_organisation() -> None:
    with Engine() as engine, pytest.raises(StoreError, match="memory store keeps no organisation"):
        use_stored_organisation(engine)


def test_it_is_public() -> None:
    assert "use_stored_organisation" in wfengine.__all__


def test_a_worker_on_the_engine_takes_up_a_newer_organisation(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    assert cli("org", "load", _org(tmp_path, "one.json", "alice"), "--db", url).exit_code == 0
    with _engine(url) as engine:
        use_stored_organisation(engine)
        use_stored_organisation(engine)  # (twice: harmless)
        assert cli("org", "load", _org(tmp_path, "two.json", "bob"), "--db", url).exit_code == 0
        Worker(lambda: engine, until_idle=True).run()  # looks before its first claim
        assert engine.directory.knows("bob")  # type: ignore[attr-defined]
        (item,) = engine.work_items(engine.start_process("p"))
        assert item.assignees == ("bob",)
