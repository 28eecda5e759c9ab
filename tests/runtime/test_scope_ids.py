"""Scope ids: a new scope never takes the id of one still in its instance, and is numbered
after its owner's scope; a document stored with the older numbering (``len(scopes)``, which
could fall below the owner's scope once closed scopes had left) still loads.

Found by the property test of structured processes: a counted loop around a block around a
block with a manual step could not be loaded from SQLite in its third round ("owner has no
block"), and in memory its new scope could replace one still running."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.runtime.shapes import MAIN, Node, bind, shape
from wfengine import Engine, PackageBuilder
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.states import ProcessState

#: loop x3 (block (block (manual)))
NESTED_IN_A_LOOP = Node("loop", [Node("block", [Node("block", [Node("manual")])])], choice=3)


def _scopes_in_order(engine: Engine, iid: str) -> None:
    inst = engine.store.instance(iid)
    for scope_id, scope in inst.scopes.items():
        assert scope.id == scope_id
        if scope.owner is not None:
            assert scope.owner.scope.id < scope_id, (scope.owner.scope.id, scope_id)


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_loop_of_nested_blocks_runs_every_round(store: str, tmp_path: Path) -> None:
    s = shape(NESTED_IN_A_LOOP)
    url = f"sqlite:///{tmp_path / 'wf.db'}" if store == "sqlite" else None
    with Engine(db_url=url) as engine:
        bind(engine)
        engine.deploy(s.package)
        iid = engine.start_process(MAIN)
        rounds = 0
        while items := engine.work_items():
            _scopes_in_order(engine, iid)
            engine.complete_work_item(items[0].id)
            rounds += 1
        assert rounds == 3
        assert engine.instance(iid).state is ProcessState.COMPLETED
        assert Counter(engine.trace(iid)) == s.expected[MAIN]


def _nested_blocks() -> Any:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    outer = p.activity_set("outer")
    outer.activity("before").block("inner_block", activity_set="inner")
    outer.transition("before", "inner_block")
    p.activity_set("inner").activity("work", performer="clerk")
    p.activity("start").block("outer_block", activity_set="outer").activity("end")
    p.sequence("start", "outer_block", "end")
    return pb.build()


def _renumber(document: dict[str, Any], a: int, b: int) -> dict[str, Any]:
    """``document`` with scopes ``a`` and ``b`` swapping ids."""

    def swap(n: int) -> int:
        return b if n == a else a if n == b else n

    for scope in document["scopes"]:
        scope["id"] = swap(scope["id"])
    for record in document["activities"]:
        record["scope"] = swap(record["scope"])
        if "child_scope" in record:
            record["child_scope"] = swap(record["child_scope"])
    document["root"] = swap(document["root"])
    return document


def test_a_document_numbered_the_old_way_still_loads(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url) as engine:
        engine.deploy(_nested_blocks())
        iid = engine.start_process("p")
        assert [w.activity_id for w in engine.work_items(iid)] == ["work"]
        inst = engine.store.instance(iid)
        inner = next(s for s in inst.scopes.values() if s.owner and s.owner.act.id == "inner_block")
        outer = inner.owner.scope  # type: ignore[union-attr]
        assert outer.id < inner.id
        store = engine.store
        assert isinstance(store, SqlStore)
        with store.sa_engine.connect() as conn:
            blob = conn.execute(
                sa.select(t.process_instances.c.state_blob).where(t.process_instances.c.id == iid)
            ).scalar_one()
        document = json.loads(blob) if isinstance(blob, str) else blob
        # a format 3 document as the older numbering could leave it: the inner scope below
        # its owner's, and no next_scope
        document = _renumber(document, outer.id, inner.id)
        assert document.pop("next_scope") == max(inst.scopes) + 1
        document["format"] = 3
        store.transaction(
            lambda conn: conn.execute(
                t.process_instances.update()
                .where(t.process_instances.c.id == iid)
                .values(state_blob=document)
            )
        )
    with Engine(db_url=url) as engine:
        loaded = engine.store.instance(iid)
        by_owner = {s.owner.act.id: s for s in loaded.scopes.values() if s.owner is not None}
        assert by_owner["inner_block"].id < by_owner["outer_block"].id
        assert [a.id for a in by_owner["inner_block"].graph.activities] == ["work"]
        assert loaded.next_scope == max(loaded.scopes) + 1
        engine.complete_work_item(engine.work_items(iid)[0].id)
        assert engine.instance(iid).state is ProcessState.COMPLETED
        assert engine.trace(iid) == ["start", "before", "work", "inner_block", "outer_block", "end"]
