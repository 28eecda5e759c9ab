"""``engine.jobs(id)`` and ``engine.timers(id)`` of an id that names no instance raise
:class:`NotFoundError`, as ``incidents``, ``work_items``, ``tokens`` and ``trace`` do: they
answered ``[]``, so a mistyped id read as "nothing is waiting". A known instance's listing,
and the listing of all, are as before."""

from __future__ import annotations

import pytest

from wfengine import Engine, NotFoundError, PackageBuilder


def _deploy(engine: Engine) -> None:
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.start("s").activity("answer", performer="clerk", deadlines=[("PT1H", "Late", "ASYNCHR")])
    p.activity("chase").end("e").sequence("s", "answer", "e")
    p.transition("answer", "chase", exception="Late")
    engine.deploy(pb.build())


@pytest.mark.parametrize("listing", ["jobs", "timers"])
def test_an_unknown_instance_id_is_not_found(engine: Engine, listing: str) -> None:
    _deploy(engine)
    engine.start_process("ticket")
    with pytest.raises(NotFoundError, match=r"no process instance 'pi-typo'"):
        getattr(engine, listing)("pi-typo")


def test_a_known_instance_and_all_instances_list_as_before(engine: Engine) -> None:
    _deploy(engine)
    instance_id = engine.start_process("ticket")
    [timer] = engine.timers(instance_id)
    assert engine.timers() == [timer]
    assert [j.instance_id for j in engine.jobs(instance_id)] == [instance_id]
    assert engine.jobs() == engine.jobs(instance_id)
    [item] = engine.work_items(instance_id)
    engine.complete_work_item(item.id)
    assert engine.timers(instance_id) == [] and engine.jobs(instance_id) == []
