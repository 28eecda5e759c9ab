"""A Standard loop's counter field as its loop condition reads it (docs/semantics.md, "Loop
counters"): the engine sets the field before each iteration to the count of iterations before
it, 0 first, and the condition deciding an iteration reads that count. The condition used to
read the field as the previous iteration had left it: a while loop ``i < 3`` ran 4 times, its
first test read whatever the field held (7: it never ran; an outer cycle's second pass: the
first pass's count), and a do-while ran 4 times too."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder, standard_loop
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState

pytestmark = pytest.mark.parametrize("store_kind", ["memory", "sqlite"], indirect=True)


def _counted(engine: Engine, test_time: str, initial: str, maximum: int | None = None) -> str:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("i", "INTEGER", initial=initial)
    p.data_field("runs", "INTEGER", initial="0")
    loop = standard_loop("i < 3", test_time=test_time, counter="i", maximum=maximum)
    p.activity("body", script="runs = runs + 1", loop=loop)
    p.activity("after").transition("body", "after")
    return run(engine, pb)


@pytest.mark.parametrize("test_time", ["Before", "After"])
@pytest.mark.parametrize("initial", ["0", "7", "-5"])
def test_a_loop_while_its_counter_is_below_three_runs_three_times(
    engine: Engine, test_time: str, initial: str
) -> None:
    iid = _counted(engine, test_time, initial)
    instance = engine.instance(iid)
    assert instance.state is ProcessState.COMPLETED
    assert instance.data["runs"] == 3
    assert engine.trace(iid) == ["body"] * 3 + ["after"]
    assert instance.data["i"] == 2  # the last iteration's count, as it ran


def test_a_loop_maximum_still_bounds_a_counted_loop(engine: Engine) -> None:
    iid = _counted(engine, "Before", "0", maximum=2)
    assert engine.instance(iid).data["runs"] == 2


def test_a_while_loop_in_an_outer_cycle_counts_from_zero_on_every_pass(engine: Engine) -> None:
    # "up to 2 attempts" inside a review cycle: the second pass found the first pass's count
    # (2) in the field, so its first test failed and no attempt was made
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("i", "INTEGER", initial="0")
    p.data_field("pass_no", "INTEGER", initial="0")
    p.data_field("attempts", "INTEGER", initial="0")
    p.start("begin").activity("st", script="pass_no = pass_no + 1").transition("begin", "st")
    loop = standard_loop("i < 2", test_time="Before", counter="i")
    p.activity("attempt", script="attempts = attempts + 1", loop=loop)
    p.route("x", gateway="Exclusive").activity("done")
    p.sequence("st", "attempt", "x")
    p.transition("x", "st", condition="pass_no < 2").transition("x", "done", otherwise=True)
    iid = run(engine, pb)
    assert engine.trace(iid) == [
        "begin",
        *["st", "attempt", "attempt", "x"] * 2,
        "done",
    ]
    assert engine.instance(iid).data["attempts"] == 4
