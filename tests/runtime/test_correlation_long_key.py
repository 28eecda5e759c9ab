"""A correlation key of any length is stored and found (migration 0025): PostgreSQL's btree
entry holds ~2,700 bytes, and the index of the values refused an instance whose key held
more (every command writing it failed with a raw database error). The index now holds the
value's sha256 with the key, the lookup compares the value too; an upgraded database's
existing keys are found as before."""

from __future__ import annotations

import hashlib
import random
import string

import pytest
import sqlalchemy as sa

from tests.runtime.plans import first_statement, query_plan
from wfengine import Engine, NotFoundError, PackageBuilder, ProcessState
from wfengine.runtime.sql import connect, migrate
from wfengine.runtime.sql.schema import SCHEMA_REVISION


def _keyed() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main").extended_attribute("wfengine:correlation", "ref")
    p.data_field("ref", "STRING")
    p.start("s").intermediate("c", message="reply").end("e").sequence("s", "c", "e")
    return pb


def _text(length: int, seed: int) -> str:
    """Random letters and digits: text a database cannot compress to fit the old index."""
    chosen = random.Random(seed)
    return "".join(chosen.choice(string.ascii_letters + string.digits) for _ in range(length))


@pytest.mark.parametrize("length", [3_000, 100_000])
def test_an_instance_with_a_long_key_is_stored_and_found(engine: Engine, length: int) -> None:
    engine.deploy(_keyed().build())
    long = _text(length, length)
    started = engine.start_process("main", {"ref": long})
    other = engine.start_process("main", {"ref": long[:-1]})  # same prefix, another value
    assert engine.correlated_instance({"ref": long}) == started
    assert engine.correlated_instance({"ref": long[:-1]}) == other
    with pytest.raises(NotFoundError):
        engine.correlated_instance({"ref": long + "x"})
    assert engine.send_message("reply", correlation={"ref": long}, keep=False)
    assert engine.instance(started).state is ProcessState.COMPLETED
    assert engine.instance(other).state is ProcessState.RUNNING


def test_a_running_instance_takes_a_long_key(engine: Engine) -> None:
    engine.deploy(_keyed().build())
    started = engine.start_process("main", {"ref": "short"})
    long = _text(3_000, 7)
    engine.set_data(started, {"ref": long})
    assert engine.correlated_instance({"ref": long}) == started
    with pytest.raises(NotFoundError):
        engine.correlated_instance({"ref": "short"})


def _columns(url: str) -> set[str]:
    db = sa.create_engine(url)
    try:
        return {c["name"] for c in sa.inspect(db).get_columns("correlation_keys")}
    finally:
        db.dispose()


def test_an_upgraded_database_still_finds_its_keys(db_url: str) -> None:
    with Engine(db_url=db_url) as e:
        e.deploy(_keyed().build())
        kept = {ref: e.start_process("main", {"ref": ref}) for ref in ("a", "b", "ünï")}
    assert migrate.downgrade(db_url, "0024")[1] == "0024"
    assert "value_sha256" not in _columns(db_url)
    assert migrate.upgrade(db_url) == ("0024", SCHEMA_REVISION)
    db = sa.create_engine(db_url)
    with db.connect() as c:
        stored = c.execute(sa.text("SELECT value, value_sha256 FROM correlation_keys")).all()
    db.dispose()
    assert len(stored) == 3
    for value, digest in stored:
        assert digest == hashlib.sha256(value.encode("utf-8")).hexdigest()
    with Engine(db_url=db_url) as e:
        for ref, instance_id in kept.items():
            assert e.correlated_instance({"ref": ref}) == instance_id
        long = _text(3_000, 3)
        added = e.start_process("main", {"ref": long})
        assert e.correlated_instance({"ref": long}) == added


def test_a_downgrade_that_cannot_index_a_long_value_names_its_instances(db_url: str) -> None:
    with Engine(db_url=db_url) as e:
        e.deploy(_keyed().build())
        long = _text(3_000, 5)
        started = e.start_process("main", {"ref": long})
        e.start_process("main", {"ref": "short"})
    if db_url.startswith("sqlite"):  # SQLite indexes any length: the downgrade goes through
        assert migrate.downgrade(db_url, "0024")[1] == "0024"
        assert migrate.upgrade(db_url)[1] == SCHEMA_REVISION
    else:
        with pytest.raises(RuntimeError, match=r"cannot downgrade below revision 0025") as err:
            migrate.downgrade(db_url, "0024")
        assert started in str(err.value) and long not in str(err.value)
    assert "value_sha256" in _columns(db_url)  # nothing changed
    with Engine(db_url=db_url) as e:
        assert e.correlated_instance({"ref": long}) == started


def test_the_lookup_reads_the_index_of_the_digests(db_url: str) -> None:
    with Engine(db_url=db_url) as e:
        e.deploy(_keyed().build())
        for n in range(5):
            e.start_process("main", {"ref": _text(3_000, n)})
        wanted = _text(3_000, 2)
        lookup = first_statement(
            e, "correlation_keys", lambda: e.correlated_instance({"ref": wanted})
        )
    plan = query_plan(db_url, *lookup, analyze="correlation_keys")
    assert "ix_correlation_keys_key_digest" in plan, plan


def test_the_upgrade_reads_the_keys_a_page_after_the_last(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # reading `value_sha256 IS NULL` again for each batch scanned past every row already
    # digested: the upgrade of a large table took the square of its size
    with Engine(db_url=db_url) as e:
        e.deploy(_keyed().build())
        e.start_process("main", {"ref": "a"})
    migrate.downgrade(db_url, "0024")
    reads: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "correlation_keys" in statement:
            reads.append(" ".join(statement.split()))

    made = connect.create_engine

    def watched(url: object, **kwargs: object) -> sa.Engine:
        # (on this engine alone: a listener on the Engine class stays for every engine after,
        # and the PostgreSQL dialect's own statement path steps aside for engines with events)
        engine = made(url, **kwargs)  # type: ignore[arg-type]
        sa.event.listen(engine, "before_cursor_execute", seen)
        return engine

    monkeypatch.setattr(migrate, "create_engine", watched)
    migrate.upgrade(db_url)
    pages = [r for r in reads if "value_sha256" not in r.split("FROM")[0] and "LIMIT" in r]
    assert pages, reads
    assert all("IS NULL" not in r and "ORDER BY" in r for r in pages), pages
