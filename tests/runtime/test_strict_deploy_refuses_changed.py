"""A ``strict=True`` deploy refused for one process leaves refused every other process of the
package it would have made a new version of: the host's latest deploy of those was refused
too, so their older stored version does not start by id in its place (as for the refused
process itself). A process identical to its latest stored version is what the host deployed:
it keeps starting. Before, the changed process went on starting its old version."""

from __future__ import annotations

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.errors import DeployError
from wfengine.runtime.engine import Engine


def _package(step: str, *, broken: bool = False, fresh: bool = False) -> Package:
    """``main`` doing ``step``; ``same`` never changing; ``other`` broken when ``broken``;
    ``fresh``: a process deployed for the first time."""
    pb = PackageBuilder("pk")
    pb.process("main").activity(step, performer="clerk")
    pb.process("same").activity("work", performer="clerk")
    pb.process("other").activity("job", script="x = = 1" if broken else None)
    if fresh:
        pb.process("fresh").activity("work", performer="clerk")
    return pb.build()


def test_a_changed_process_of_a_strictly_refused_package_does_not_start_its_old_version(
    engine: Engine,
) -> None:
    engine.deploy(_package("old"))
    with pytest.raises(DeployError, match="'other'"):
        engine.deploy(_package("new", broken=True, fresh=True), strict=True)
    for process_id in ("main", "fresh"):
        with pytest.raises(DeployError, match=r"strict=True.*package 'pk'.*'other'"):
            engine.start_process(process_id)
        refusal = engine.refusal(process_id)
        assert refusal is not None and "was not deployed" in str(refusal)
    assert engine.instance(engine.start_process("same")).version == 1  # unchanged: starts
    old = engine.start_process("main", version=1)  # by number: it does
    assert [w.activity_id for w in engine.work_items(old)] == ["old"]
    assert engine.store.versions("main") == [1]  # nothing was stored
    engine.deploy(_package("new"))  # a deploy that succeeds lifts it
    iid = engine.start_process("main")
    assert engine.instance(iid).version == 2
    assert [w.activity_id for w in engine.work_items(iid)] == ["new"]
