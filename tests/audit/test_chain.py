"""The audit trail's hash chain: ``verify_audit`` (``wfengine audit verify``) passes on an
untouched trail and names the first bad event after a row is edited, removed, swapped with
another or inserted."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import store_url
from wfengine import Engine, PackageBuilder, StoreError

Tamper = Callable[[sa.Connection, str], None]


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    found = store_url(request, request.param, tmp_path)
    assert found is not None
    return found


def _run(url: str, instances: int = 3, *, complete: bool = True) -> list[str]:
    with Engine(db_url=url) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.activity("a", performer="clerk").activity("b")
        p.transition("a", "b")
        e.deploy(pb.build())
        ids = []
        for n in range(instances):
            iid = e.start_process("p", {"n": n, "text": "é ✓", "when": None})
            if complete:
                (item,) = e.work_items(iid)
                e.complete_work_item(item.id, {"done": 1.5})
            ids.append(iid)
        return ids


@pytest.fixture
def trail(url: str) -> Iterator[tuple[str, list[str]]]:
    yield url, _run(url)


def _sql(url: str, fn: Callable[[sa.Connection], None]) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            fn(conn)
    finally:
        engine.dispose()


def test_an_untouched_trail_verifies(trail: tuple[str, list[str]]) -> None:
    url, ids = trail
    with Engine(db_url=url) as e:
        report = e.verify_audit()
        assert report.ok and report.instances == 3 and report.unchained == 0
        assert report.events == sum(len(e.audit(i)) for i in ids)
        assert e.verify_audit(ids[0]).instances == 1


def _edit(conn: sa.Connection, iid: str) -> None:
    conn.execute(
        sa.text(
            "UPDATE audit_events SET kind = 'activity.completed' WHERE instance_id = :i AND seq = 3"
        ),
        {"i": iid},
    )


def _delete_middle(conn: sa.Connection, iid: str) -> None:
    conn.execute(sa.text("DELETE FROM audit_events WHERE instance_id = :i AND seq = 3"), {"i": iid})


def _delete_last(conn: sa.Connection, iid: str) -> None:
    last = conn.execute(
        sa.text("SELECT max(seq) FROM audit_events WHERE instance_id = :i"), {"i": iid}
    ).scalar_one()
    conn.execute(
        sa.text("DELETE FROM audit_events WHERE instance_id = :i AND seq = :s"),
        {"i": iid, "s": last},
    )


def _swap(conn: sa.Connection, iid: str) -> None:
    for old, new in ((3, -1), (4, 3), (-1, 4)):
        conn.execute(
            sa.text("UPDATE audit_events SET seq = :new WHERE instance_id = :i AND seq = :old"),
            {"i": iid, "old": old, "new": new},
        )


def _insert(conn: sa.Connection, iid: str) -> None:
    """A forged event squeezed in as event 3 (the later ones renumbered), hash copied."""
    rows = (
        conn.execute(
            sa.text("SELECT seq FROM audit_events WHERE instance_id = :i ORDER BY seq DESC"),
            {"i": iid},
        )
        .scalars()
        .all()
    )
    for seq in rows:
        if seq >= 3:
            conn.execute(
                sa.text("UPDATE audit_events SET seq = :n WHERE instance_id = :i AND seq = :s"),
                {"i": iid, "s": seq, "n": seq + 1},
            )
    conn.execute(
        sa.text(
            "INSERT INTO audit_events (instance_id, seq, at, kind, detail, hash) "
            "SELECT instance_id, 3, at, 'instance.data_assigned', detail, hash "
            "FROM audit_events WHERE instance_id = :i AND seq = 2"
        ),
        {"i": iid},
    )


def _column(column: str, value: str, seq: int) -> Tamper:
    """An edit of one header column alone (what ``audit --user/--process`` filters on)."""

    def edit(conn: sa.Connection, iid: str) -> None:
        conn.execute(
            sa.text(f"UPDATE audit_events SET {column} = :v WHERE instance_id = :i AND seq = :s"),
            {"i": iid, "s": seq, "v": value},
        )

    return edit


def _unhash(conn: sa.Connection, iid: str) -> None:
    """An edit whose hashes are cleared so the rows pass for ones from before the chain;
    the instance row still keeps the head."""
    _edit(conn, iid)
    conn.execute(sa.text("UPDATE audit_events SET hash = NULL WHERE instance_id = :i"), {"i": iid})


@pytest.mark.parametrize(
    ("tamper", "seq", "words"),
    [
        (_unhash, None, "no event carries a hash"),
        (_edit, 3, "does not match its hash"),
        (_delete_middle, 4, "expected event 3 here"),
        (_delete_last, None, "trail holds"),
        (_swap, 3, "does not match its hash"),
        (_insert, 3, "does not match its hash"),
        (_column("user_id", "mallory", 3), 3, "its user_id column says 'mallory'"),
        (_column("process_id", "other", 2), 2, "its process_id column says 'other'"),
        (_column("work_item_id", "wi-999", 3), 3, "its work_item_id column says 'wi-999'"),
    ],
    ids=[
        "hashes-removed",
        "edited",
        "removed",
        "removed-last",
        "swapped",
        "inserted",
        "user-column",
        "process-column",
        "work-item-column",
    ],
)
def test_tampering_is_found_at_the_first_bad_event(
    trail: tuple[str, list[str]], tamper: Tamper, seq: int | None, words: str
) -> None:
    url, ids = trail
    victim = ids[1]
    _sql(url, lambda conn: tamper(conn, victim))
    with Engine(db_url=url) as e:
        report = e.verify_audit()
    assert not report.ok
    (found,) = report.breaks  # the other instances still verify
    assert (found.instance_id, found.seq) == (victim, seq)
    assert words in found.reason
    assert str(found).startswith(f"instance {victim!r}")


def test_rows_from_before_the_chain_are_unchained_not_tampered(url: str) -> None:
    (iid,) = _run(url, 1, complete=False)

    def unchain(conn: sa.Connection) -> None:  # as a database from before the chain
        conn.execute(sa.text("UPDATE audit_events SET hash = NULL"))
        conn.execute(sa.text("UPDATE process_instances SET audit_head = NULL"))

    _sql(url, unchain)
    with Engine(db_url=url) as e:
        report = e.verify_audit()
        assert report.ok and report.unchained == report.events > 0
        (item,) = e.work_items(iid)
        e.complete_work_item(item.id)  # new events chain on from the genesis
        after = e.verify_audit()
        assert after.ok and after.events > report.events
        assert after.unchained == report.unchained


def test_the_memory_store_has_no_chain_to_verify() -> None:
    with Engine() as e, pytest.raises(StoreError, match="no hash chain"):
        e.verify_audit()


def test_an_untouched_trail_of_ten_thousand_instances_verifies(tmp_path: Path) -> None:
    """10,000 instances written by the engine (one parent whose multi-instance subflow
    starts 9,999 children in one command, to keep the test quick) all verify."""
    from wfengine.definition.model import MultiInstanceLoop

    url = f"sqlite:///{tmp_path / 'big.db'}"
    with Engine(db_url=url) as e:
        pb = PackageBuilder("pkg")
        pb.process("child").activity("a").activity("b").transition("a", "b")
        fan = MultiInstanceLoop(mi_condition="9999")
        pb.process("parent").subflow("each", process="child", loop=fan)
        e.deploy(pb.build())
        e.start_process("parent")
        report = e.verify_audit()
    assert report.ok and report.instances == 10_000 and report.unchained == 0
    assert report.events >= 10_000 * 4


def test_a_string_with_a_lone_surrogate_is_stored_and_chained(url: str) -> None:
    """Python strings may hold a lone surrogate (what a decoder with ``surrogateescape`` makes
    of bad bytes); the in-memory store keeps one, so a database stores and chains it too."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("x", "STRING")
    p.activity("work", performer="clerk")
    odd = "bad \udcff byte"
    with Engine(db_url=url) as e:
        e.deploy(pb.build())
        iid = e.start_process("main", {"x": odd})
        e.set_data(iid, {"x": odd + "!"})
        assert e.instance(iid).data == {"x": odd + "!"}
        assert any(odd + "!" in _strings(event.detail) for event in e.audit(iid))
        assert e.verify_audit(iid).ok


def _strings(value: object) -> list[str]:
    """Every string inside ``value`` (dict keys and values, list items)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []
