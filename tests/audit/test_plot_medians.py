"""``stats --plot``'s box plots put the median line at the nearest-rank median the table and
``--json`` give, not matplotlib's interpolated one (for waits of 20m and 40m the table said
20m and the line was at 30m)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.audit.metrics import process_metrics

pytest.importorskip("matplotlib", reason="matplotlib (the plots extra) is not installed")


def test_the_box_median_is_the_tables_median(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matplotlib.axes import Axes

    from wfengine.audit.plots import write_plot

    drawn: list[dict[str, Any]] = []
    boxplot = Axes.boxplot

    def spy(self: Axes, *args: Any, **kwargs: Any) -> Any:
        found = boxplot(self, *args, **kwargs)
        drawn.append(found)
        return found

    monkeypatch.setattr(Axes, "boxplot", spy)
    clock = VirtualClock()
    with Engine(clock=clock) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("a", performer="clerk")
        e.deploy(pb.build())
        for minutes in (20, 40):
            iid = e.start_process("p")
            clock.advance(timedelta(minutes=minutes))
            (item,) = e.work_items(iid)
            e.complete_work_item(item.id)
        table = process_metrics(e, "p").activities[0]
        write_plot(e, "p", tmp_path / "p.svg")
    waiting, working = drawn
    (line,) = waiting["medians"]
    assert table.waiting.median == 20 * 60.0
    assert set(line.get_ydata()) == {table.waiting.median / 3600}
    (line,) = working["medians"]
    assert set(line.get_ydata()) == {0.0}
