"""``use_stored_organisation(engine)`` taking up the stored organisation re-offers by it the
work the engine offered before by its own directory, and returns the engine's directory on
every call.

Before: work offered before the first call stayed offered to the participant id
(``'clerk'``, nobody's worklist) until a later ``org load``; and a second call returned a
freshly read ``Organisation``, not the one the engine offers work by.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, use_stored_organisation


def _org(tmp_path: Path, name: str, *clerks: str) -> str:
    path = tmp_path / name
    path.write_text(json.dumps({"users": [{"id": u, "roles": ["clerk"]} for u in clerks]}))
    return str(path)


def _engine(url: str, **kw: object) -> Engine:
    engine = Engine(clock=VirtualClock(), db_url=url, **kw)  # type: ignore[arg-type]
    pb = PackageBuilder("pkg")
    pb.process("p").activity("a", performer="clerk")
    engine.deploy(pb.build())
    return engine


def test_work_offered_before_the_first_call_goes_to_the_organisations_people(
    tmp_path: Path,
) -> None:
    url = sqlite_url(tmp_path)
    assert cli("org", "load", _org(tmp_path, "one.json", "ann", "bob"), "--db", url).exit_code == 0
    with _engine(url) as engine:
        iid = engine.start_process("p")
        assert [w.assignees for w in engine.work_items(iid)] == [("clerk",)]
        use_stored_organisation(engine)
        assert [w.assignees for w in engine.work_items(iid)] == [("ann", "bob")]
        assert [w.instance_id for w in engine.work_items_of("ann")] == [iid]


def test_work_already_offered_by_it_is_left_as_it_is(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    assert cli("org", "load", _org(tmp_path, "one.json", "ann", "bob"), "--db", url).exit_code == 0
    with Engine(db_url=url) as other:  # an engine already offering by it
        use_stored_organisation(other)
        with _engine(url) as engine:
            (item,) = engine.work_items(other.start_process("p"))
            use_stored_organisation(engine)
            assert engine.work_items(item.instance_id) == [item]  # the same item, kept


def test_every_call_returns_the_engines_directory(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    assert cli("org", "load", _org(tmp_path, "one.json", "ann"), "--db", url).exit_code == 0
    with _engine(url) as engine:
        first = use_stored_organisation(engine)
        assert first is engine.directory
        assert use_stored_organisation(engine) is first  # unchanged: the same one
        assert cli("org", "load", _org(tmp_path, "two.json", "cid"), "--db", url).exit_code == 0
        second = use_stored_organisation(engine)
        assert isinstance(second, Organisation) and second is engine.directory
        assert second.knows("cid") and not second.knows("ann")
