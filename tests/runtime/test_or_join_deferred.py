"""An Inclusive join is decided as soon as no token can reach it, whatever mode the engine
runs in: a command that leaves its ready work to workers (defer_automatic, as every database
command of the CLI does), or a long run cut into stretches, used to stop before it decided the
join, and the job that carried on never looked at it again: the join waited for an unrelated
person's task that cannot reach it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from wfengine import Engine, PackageBuilder, RuntimeLimits, VirtualClock


def _package() -> PackageBuilder:
    # st (AND) -> b (person, AND) -> m (OR join) -> z; st -> m; b -> c (person, not upstream of m)
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("st", split="Parallel")
    p.activity("b", performer="clerk", split="Parallel").activity("c", performer="clerk")
    p.activity("m", join="Inclusive").activity("z")
    p.transition("st", "b").transition("st", "m")
    p.transition("b", "m").transition("b", "c").transition("m", "z")
    return pb


@pytest.mark.parametrize("mode", ["deferred", "stretches"])
@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_an_or_join_nothing_can_reach_fires_in_every_mode(
    mode: str, store: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    options: dict[str, object] = (
        {"defer_automatic": True}
        if mode == "deferred"
        else {"limits": RuntimeLimits(commit_every=2)}
    )
    url = store_url(request, store, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, **options) as engine:  # type: ignore[arg-type]
        engine.deploy(_package().build())
        pi = engine.start_process("main")
        engine.run_due_jobs()
        (b,) = engine.work_items(pi)
        engine.complete_work_item(b.id)
        while engine.run_due_jobs():  # a worker runs what is due
            pass
        assert engine.trace(pi)[:2] == ["st", "b"] and engine.trace(pi)[-2:] == ["m", "z"]
        assert [w.activity_id for w in engine.work_items(pi)] == ["c"]
