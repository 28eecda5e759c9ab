"""``reads=[]`` on a builder activity: a user means "its work item reads nothing", but the
engine reads an activity that lists no field to read as one whose item reads every field (and
XPDL files mean that by it). Before, the builder wrote no ``wfengine:reads`` and the work item
showed every field, the salary included; now it is a BuildError naming the activity that says
so. ``writes=[]`` says the default (nothing writable) and is kept."""

from __future__ import annotations

import pytest

from wfengine import BuildError, Engine, PackageBuilder, VirtualClock
from wfengine.definition.model import Package


def _package(**access: object) -> Package:
    b = PackageBuilder("p")
    b.participant("clerk")
    p = b.process("q")
    p.data_field("ticket", "STRING", initial="'T-1'")
    p.data_field("salary", "FLOAT", initial="99000.0")
    p.start("s").activity("look", performer="clerk", **access).end("e")  # type: ignore[arg-type]
    p.sequence("s", "look", "e")
    return b.build()


@pytest.mark.parametrize("reads", [[], (), "", ["", " "]])
def test_reads_naming_no_field_is_refused(reads: object) -> None:
    with pytest.raises(BuildError, match=r"activity 'look': reads=.* names no field") as err:
        _package(reads=reads)
    assert "read every field" in str(err.value)
    assert "leave reads= out" in str(err.value)


def test_listed_reads_limit_the_item() -> None:
    engine = Engine(clock=VirtualClock())
    engine.deploy(_package(reads=["ticket"]))
    [item] = engine.work_items(engine.start_process("q"))
    assert engine.work_item_data(item.id).values == {"ticket": "T-1"}


@pytest.mark.parametrize("access", [{}, {"reads": None}, {"writes": []}])
def test_no_reads_reads_every_field_and_empty_writes_writes_none(
    access: dict[str, object],
) -> None:
    engine = Engine(clock=VirtualClock())
    engine.deploy(_package(**access))
    [item] = engine.work_items(engine.start_process("q"))
    data = engine.work_item_data(item.id)
    assert data.values == {"ticket": "T-1", "salary": 99000.0}
    assert data.writable == ()
