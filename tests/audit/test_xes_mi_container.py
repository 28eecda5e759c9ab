"""XES of a multi-instance activity: each of its instances is an execution, the container that
spans them is not (3 copies were 4 starts and 4 completes, 0 copies one execution where the
metrics count none, and an instance's termination gave the container a ``pi_abort`` of its
own), as the metrics count them."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from wfengine import Engine, PackageBuilder, VirtualClock, multi_instance, process_metrics
from wfengine.audit import write_xes


def _transitions(e: Engine) -> Counter[tuple[str, str]]:
    """(activity, transition) -> how many XES events."""
    out = io.BytesIO()
    write_xes(e, out)
    found: Counter[tuple[str, str]] = Counter()
    for event in etree.fromstring(out.getvalue()).iter("event"):
        attrs = {a.get("key"): a.get("value") for a in event}
        found[(str(attrs["concept:name"]), str(attrs["lifecycle:transition"]))] += 1
    return found


def _engine(count: str, url: str | None, ordering: str = "Parallel") -> tuple[Engine, str]:
    e = Engine(clock=VirtualClock(), db_url=url)
    pb = PackageBuilder("p")
    p = pb.process("proc").participant("clerk")
    p.start("s").activity("mi", performer="clerk", loop=multi_instance(count, ordering=ordering))
    p.end("e").sequence("s", "mi", "e")
    e.deploy(pb.build())
    return e, e.start_process("proc", {})


def _finish(e: Engine, iid: str) -> None:
    while items := [w for w in e.work_items(iid) if w.state.name != "COMPLETED"]:
        e.complete_work_item(items[0].id, {})


@pytest.mark.parametrize("store", ["memory", "sqlite"])
@pytest.mark.parametrize("ordering", ["Parallel", "Sequential"])
def test_each_instance_is_one_execution_and_the_container_none(
    store: str, ordering: str, tmp_path: Path
) -> None:
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    e, iid = _engine("3", url, ordering)
    with e:
        _finish(e, iid)
        found = _transitions(e)
        (metrics,) = [a for a in process_metrics(e, "proc").activities if a.activity_id == "mi"]
    assert found[("mi", "schedule")] == 3
    assert found[("mi", "start")] == found[("mi", "complete")] == metrics.count == 3


def test_no_instances_no_execution() -> None:
    e, iid = _engine("0", None)
    _finish(e, iid)
    assert e.instance(iid).state.value == "closed.completed"
    found = _transitions(e)
    assert not [k for k in found if k[0] == "mi"]
    assert "mi" not in {a.activity_id for a in process_metrics(e, "proc").activities}


@pytest.mark.parametrize("verb", ["terminate", "abort"])
def test_closing_the_instance_aborts_the_open_instances_not_the_container(verb: str) -> None:
    e, iid = _engine("3", None)
    e.complete_work_item(e.work_items(iid)[0].id, {})
    getattr(e, verb)(iid)
    found = _transitions(e)
    assert found[("mi", "start")] == found[("mi", "complete")] == 1
    assert found[("mi", "pi_abort")] == 2
    assert found[("mi", "ate_abort")] == 0
