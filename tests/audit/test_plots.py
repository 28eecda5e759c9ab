"""The heat overlay and the work-in-progress series behind ``wfengine stats --diagram/--plot``."""

from __future__ import annotations

from datetime import timedelta

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.audit.metrics import process_metrics
from wfengine.audit.plots import heat_diagram, heat_of, work_in_progress


def test_heat_runs_from_white_to_red_by_mean_waiting_time() -> None:
    clock = VirtualClock()
    with Engine(clock=clock) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.activity("slow", performer="clerk").activity("quick", performer="clerk")
        p.route("gate", gateway="Exclusive")
        p.transition("slow", "quick").transition("quick", "gate")
        e.deploy(pb.build())
        iid = e.start_process("p")
        clock.advance(timedelta(hours=3))
        (item,) = e.work_items(iid)
        e.complete_work_item(item.id)
        clock.advance(timedelta(hours=1))
        (item,) = e.work_items(iid)
        e.complete_work_item(item.id)
        second = e.start_process("p")
        metrics = process_metrics(e, "p")
        heat = heat_of(metrics)
        assert heat["slow"] == ("#d7301f", "wait 3.0h")
        assert heat["quick"][1] == "wait 60m" and heat["gate"] == ("#ffffff", "wait 0s")
        dot = heat_diagram(e, metrics)
        assert 'fillcolor="#d7301f"' in dot and "rounded,filled" in dot
        series = work_in_progress(e, "p")
        assert [n for _, n in series] == [1, 0, 1]
        assert series[-1][0] == e.instance(second).created_at
