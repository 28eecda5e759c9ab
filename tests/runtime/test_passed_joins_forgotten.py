"""A join that fired is forgotten once no token waits there: a run through many joins keeps
(and stores) only the joins tokens wait at, and the progress watch's per-step key stays as
small as that. Every join a run passed used to stay as an entry of zeros, which the watch
sorted and compared at every step it looked at, so one run through n joins cost n squared (a
ladder of 4,000 diamonds ran for 15 s, a chain of 16,000 routes in 0.3 s). An entry of zeros
that an instance stored before still reads as no token at all."""

from __future__ import annotations

from typing import Any

import pytest

from tests.runtime.conftest import complete_all, run
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import GatewayType, Join
from wfengine.runtime import progress
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState

#: diamonds in the ladder: four steps each, enough for the watch (from its WATCH_FROM-th step)
#: to look at many
DIAMONDS = 500
KINDS = ("Parallel", "Inclusive", "Complex")


def _ladder(diamonds: int) -> PackageBuilder:
    """s, then ``diamonds`` split/join diamonds in sequence, their joins Parallel, Inclusive
    and Complex by turns, then a person's task ``w`` (so the instance waits, stored)."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("s")
    before = "s"
    for i in range(diamonds):
        kind = KINDS[i % len(KINDS)]
        split = "Inclusive" if kind == "Inclusive" else "Parallel"
        p.route(f"x{i}", gateway=split).route(f"l{i}").route(f"r{i}")
        if kind == "Complex":
            join = Join(type=GatewayType.COMPLEX, incoming_condition="activationCount >= 2")
            p.route(f"j{i}", join=join)
        else:
            p.route(f"j{i}", gateway=kind)
        p.transition(before, f"x{i}").transition(f"x{i}", f"l{i}").transition(f"x{i}", f"r{i}")
        p.transition(f"l{i}", f"j{i}").transition(f"r{i}", f"j{i}")
        before = f"j{i}"
    p.activity("w", performer="clerk").end("e").transition(before, "w").transition("w", "e")
    return pb


def test_a_run_through_many_joins_keeps_none_of_them(engine: Engine) -> None:
    iid = run(engine, _ladder(60))
    assert len(engine.trace(iid)) > 4 * 60  # every diamond ran
    [scope] = [s for s in engine.store.instance(iid).scopes.values() if not s.closed]
    assert scope.tokens == {}  # as stored (read back from the database on SQL stores)
    complete_all(engine, iid)
    assert engine.instance(iid).state is ProcessState.COMPLETED


@pytest.mark.parametrize("store_kind", ["memory"], indirect=True)
def test_the_progress_watch_compares_no_more_joins_as_the_run_goes_on(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyed: list[int] = []  # per join state the watch built: the joins it held
    real = progress._joins

    def counting(instances: Any) -> tuple[Any, ...]:
        joins = real(instances)
        keyed.append(sum(len(scope[2]) for _, _, scopes in joins for scope in scopes))
        return joins

    monkeypatch.setattr(progress, "_joins", counting)
    run(engine, _ladder(DIAMONDS))
    # the watch built the join state at its snapshots (from its 1024th step on; between them
    # only when the queued work repeats, 6db6602) ...
    assert keyed
    assert max(keyed) <= 1  # ... each time holding the one join a token waits at, if any


@pytest.mark.parametrize("store_kind", ["memory"], indirect=True)
def test_a_join_stored_with_an_entry_of_zeros_works_as_one_without(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("s").route("x", gateway="Parallel")
    p.activity("a", performer="clerk").activity("b", performer="clerk")
    p.route("j", gateway="Parallel").end("e")
    p.transition("s", "x").transition("x", "a").transition("x", "b")
    p.transition("a", "j").transition("b", "j").transition("j", "e")
    iid = run(engine, pb)
    inst = engine.store.instance(iid)  # the memory store's live record
    [scope] = inst.scopes.values()
    join = scope.graph.by_id["j"]
    scope.tokens[join] = [0, 0]  # as an engine before this fix left a fired join
    assert engine.tokens(iid) == []
    [first, second] = engine.work_items(iid)
    engine.complete_work_item(first.id)
    assert [t.count for t in engine.tokens(iid)] == [1]
    assert engine.instance(iid).state is ProcessState.RUNNING
    engine.complete_work_item(second.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.trace(iid)[-2:] == ["j", "e"]


def test_a_stored_entry_of_zeros_is_read_as_none(tmp_path: Any) -> None:
    """A document an engine before this fix stored keeps a fired join as zeros: it is read as no
    entry, so such an instance stops paying for every join it passed, as a new one does."""
    import sqlalchemy as sa

    from wfengine.runtime.sql import schema

    url = f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url) as e:
        iid = run(e, _ladder(2))
        pi = schema.process_instances
        with e.store.sa_engine.begin() as conn:  # type: ignore[attr-defined]
            blob = conn.execute(sa.select(pi.c.state_blob).where(pi.c.id == iid)).scalar_one()
            [scope] = blob["scopes"]
            join = e.store.instance(iid).scopes[scope["id"]].graph.by_id["j0"]
            scope["tokens"] = [[join, [0, 0]]]
            conn.execute(sa.update(pi).where(pi.c.id == iid).values(state_blob=blob))
    with Engine(db_url=url) as e:
        [scope] = e.store.instance(iid).scopes.values()
        assert scope.tokens == {}
        complete_all(e, iid)
        assert e.instance(iid).state is ProcessState.COMPLETED
