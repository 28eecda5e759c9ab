"""The heat overlay and the work-in-progress series behind ``wfengine stats --diagram/--plot``."""

from __future__ import annotations

from datetime import timedelta

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.audit.metrics import process_metrics
from wfengine.audit.plots import durations_by_activity, heat_diagram, heat_of, work_in_progress


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


def test_the_plots_series_keep_to_a_window() -> None:
    clock = VirtualClock()
    with Engine(clock=clock) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("a", performer="clerk")
        e.deploy(pb.build())
        t0 = clock.now()
        ids = [e.start_process("p") for _ in range(3)]  # 3 open from t0
        for hours, iid in zip((1, 2), ids, strict=False):
            clock.set(t0 + timedelta(hours=hours))
            (item,) = e.work_items(iid)
            e.complete_work_item(item.id)
        clock.set(t0 + timedelta(hours=4))
        e.start_process("p")
        window = {"since": t0 + timedelta(minutes=90), "until": t0 + timedelta(hours=3)}
        series = work_in_progress(e, "p", **window)
        # the level at the window's start, then what changed in it; nothing after it
        assert series == [(window["since"], 2), (t0 + timedelta(hours=2), 1)]
        assert [n for _, n in work_in_progress(e, "p")] == [1, 2, 3, 2, 1, 2]
        waits = durations_by_activity(e, "p", **window)
        assert [w for w, _, _ in waits["a"]] == [2 * 3600.0]  # the one completed in it
        assert len(durations_by_activity(e, "p")["a"]) == 2
