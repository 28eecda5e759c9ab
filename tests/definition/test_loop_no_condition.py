"""A standard loop with no LoopCondition is ``loop-no-condition``, a warning naming the activity.
The engine reads a missing condition as false: tested before, the activity never runs (the
instance passes it by); tested after, it runs once, as with no loop. Before, both validated
clean. A loop with a condition, or from XPDL with a blank one, is judged as before / reported."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, dump_xpdl, load_xpdl, standard_loop
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Package, StandardLoop
from wfengine.definition.validation import validate


def _package(loop: StandardLoop) -> Package:
    b = PackageBuilder("p")
    p = b.process("q")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s").activity("a", loop=loop, script="n = n + 1").end("e")
    p.sequence("s", "a", "e")
    return b.build()


@pytest.mark.parametrize(
    ("test_time", "says", "trace"),
    [
        ("Before", "tested before, its activity never runs", ["s", "e"]),
        ("After", "tested after, its activity runs once", ["s", "a", "e"]),
    ],
)
def test_a_standard_loop_without_condition_is_a_warning(
    test_time: str, says: str, trace: list[str]
) -> None:
    package = _package(standard_loop(test_time=test_time))
    found = [d for d in validate(package) if d.code == "loop-no-condition"]
    assert [(d.severity, d.element_id) for d in found] == [(Severity.WARNING, "a")]
    assert "the loop of activity 'a' in process 'q' has no LoopCondition" in found[0].message
    assert says in found[0].message
    engine = Engine(clock=VirtualClock())
    engine.deploy(package)  # a warning: it still runs, as the message says
    iid = engine.start_process("q")
    assert engine.trace(iid) == trace


def test_a_blank_condition_read_from_xpdl_is_reported() -> None:
    xml = dump_xpdl(_package(standard_loop("n < 3", test_time="Before"))).decode()
    assert "n &lt; 3" in xml
    blank = load_xpdl(xml.replace("n &lt; 3", "  ").encode())
    assert [d.element_id for d in validate(blank) if d.code == "loop-no-condition"] == ["a"]


def test_a_loop_with_a_condition_is_not_reported() -> None:
    package = _package(standard_loop("n < 3", test_time="Before"))
    assert not [d for d in validate(package) if d.code == "loop-no-condition"]
