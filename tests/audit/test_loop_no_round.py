"""A tested-first (while) loop whose condition is false at once runs no round: it counts
nowhere in the figures and writes nothing to XES, on every store. Before, an automatic one
counted one execution (the engine records its ``activity.started`` before it tests the
condition) and a person's wrote a lone ``complete`` to XES."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from tests.runtime.conftest import store_url
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, write_xes
from wfengine.audit.metrics import process_metrics
from wfengine.audit.plots import durations_by_activity
from wfengine.definition.model import StandardLoop
from wfengine.definition.model import TestTime as LoopTestTime

ORG = {"users": [{"id": "alice", "roles": ["clerk"]}]}


@pytest.fixture(params=("memory", "sqlite"))
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A run through ``auto`` (a do-while loop of 3 rounds), ``never`` and ``never_h`` (while
    loops, automatic and a person's, whose condition is false at once) and ``after``."""
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        pb.participant("clerk")
        p = pb.process("p")
        p.data_field("k", "INTEGER", initial="0")
        p.data_field("j", "INTEGER", initial="5")
        p.activity("auto", script="k = k + 1", loop=StandardLoop(condition="k < 3"))
        before = StandardLoop(condition="j < 3", test_time=LoopTestTime.BEFORE)
        p.activity("never", script="j = j + 1", loop=before)
        p.activity("never_h", performer="clerk", loop=before)
        p.activity("after")
        p.sequence("auto", "never", "never_h", "after")
        e.deploy(pb.build())
        e.start_process("p")
        e.run_due_jobs()
        yield e


def test_a_loop_that_ran_no_round_counts_nowhere(engine: Engine) -> None:
    found = {a.activity_id: a.count for a in process_metrics(engine, "p").activities}
    assert found == {"auto": 3, "after": 1}


def test_the_plots_durations_leave_it_out(engine: Engine) -> None:
    assert sorted(durations_by_activity(engine, "p")) == ["after", "auto"]


def test_xes_writes_nothing_of_it(engine: Engine) -> None:
    out = io.BytesIO()
    write_xes(engine, out)
    steps = [
        {a.get("key"): a.get("value") for a in event}
        for event in etree.fromstring(out.getvalue()).iter("event")
    ]
    assert [(s["concept:name"], s["lifecycle:transition"]) for s in steps] == [
        *[("auto", t) for _ in range(3) for t in ("start", "complete")],
        ("after", "start"),
        ("after", "complete"),
    ]


def test_a_simulations_trail_durations_leave_it_out(tmp_path: Path) -> None:
    """A scenario's ``{empirical: trail}`` reads the trail's processing times as the figures
    do: a while loop that ran no round gave a duration of nothing, drawn as a real one."""
    from wfengine.simulation.trail import trail_reader

    url = f"sqlite:///{tmp_path / 'trail.db'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.data_field("j", "INTEGER", initial="5")
        before = StandardLoop(condition="j < 3", test_time=LoopTestTime.BEFORE)
        p.activity("never", script="j = j + 1", loop=before)
        p.activity("after", script="j = j + 1")
        p.sequence("never", "after")
        e.deploy(pb.build())
        e.start_process("p")
    read = trail_reader(url, "trail", ["p"])
    assert read is not None
    assert read("never") == []
    assert read("after") == [0.0]
