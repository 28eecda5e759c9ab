"""Someone who has left the organisation sees no work item, not even one still offered to them
(README: "A user the organisation does not know sees no work item"). Until ``reoffer_work``
runs, work offered to them stays on offer to them, and ``work_items_of``, ``worklist()`` and
``wfengine worklist`` listed it; each now lists nothing for them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url, write
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.worklist.worklists import worklist

_USERS = [{"id": u, "roles": ["clerk"]} for u in ("alice", "bob")]


def _org(*users: str) -> Organisation:
    return Organisation.from_data({"users": [u for u in _USERS if u["id"] in users]})


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("a", performer="clerk")
    return pb


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=_org("alice", "bob")) as e:
        e.deploy(_package().build())
        yield e


def test_a_leaver_lists_no_work_still_offered_to_them(engine: Engine) -> None:
    instance_id = engine.start_process("p")
    (item,) = engine.work_items(instance_id)
    assert [w.id for w in engine.work_items_of("bob")] == [item.id]
    engine.directory = _org("alice")  # bob leaves; no re-offer yet
    assert "bob" in engine.work_item(item.id).assignees
    assert engine.work_items_of("bob") == []
    assert worklist(engine, "bob") == []
    assert [w.id for w in engine.work_items_of("alice")] == [item.id]


def test_a_leaver_lists_no_work_they_hold(engine: Engine) -> None:
    instance_id = engine.start_process("p")
    (item,) = engine.work_items(instance_id)
    engine.claim_work_item(item.id, "bob")
    engine.directory = _org("alice")
    assert engine.work_items_of("bob", state="allocated") == []


def test_the_command_line_lists_nothing_for_a_user_the_organisation_does_not_know(
    tmp_path: Path,
) -> None:
    """alice claims the work, bob leaves, alice releases it: it may go on offer to bob
    again (its old assignees), and his worklist listed it; now it is empty (exit 0, the
    documented output: no work)."""
    db = sqlite_url(tmp_path)
    (tmp_path / "org1.json").write_text(json.dumps({"users": _USERS}))
    (tmp_path / "org2.json").write_text(json.dumps({"users": _USERS[:1]}))
    assert cli("org", "load", str(tmp_path / "org1.json"), "--db", db).exit_code == 0
    assert cli("instance", "start", write(tmp_path, _package()), "--db", db).exit_code == 0
    assert cli("worker", "--db", db, "--until-idle").exit_code == 0
    assert len(json.loads(cli("worklist", "--db", db, "--user", "bob", "--json").stdout)) == 1
    assert cli("workitem", "claim", "wi-1", "--db", db, "--user", "alice").exit_code == 0
    assert cli("org", "load", str(tmp_path / "org2.json"), "--db", db).exit_code == 0
    assert cli("workitem", "release", "wi-1", "--db", db, "--user", "alice").exit_code == 0
    listed = cli("worklist", "--db", db, "--user", "bob", "--json")
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout) == []
    assert [r["id"] for r in _rows(db, "alice")] == ["wi-1"]


def _rows(db: str, user: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(
        cli("worklist", "--db", db, "--user", user, "--json").stdout
    )
    return rows
