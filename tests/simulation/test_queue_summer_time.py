"""A queue's figures over a run that crosses the change to summer time are in real time: its
mean divides by the real span and its series' offsets end at the real end. Before, a run in
Europe/Berlin from midnight to 04:00 on the day of the change (3 real hours) divided by 4
hours, and the series ran an hour past the end."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from wfengine.simulation.report import SERIES_POINTS, queue_figures

BERLIN = ZoneInfo("Europe/Berlin")


def test_queue_figures_are_in_real_time_across_summer_time() -> None:
    start = datetime(2027, 3, 28, 0, tzinfo=BERLIN)  # +01:00
    end = datetime(2027, 3, 28, 4, tzinfo=BERLIN)  # +02:00: 3 hours later
    emptied = datetime(2027, 3, 28, 3, 30, tzinfo=BERLIN)  # 2.5 real hours in
    changes = [(start, 1), (emptied, 0)]
    figures = queue_figures(changes, 2.5 * 3600, 1, start, end)
    assert figures.mean == pytest.approx(2.5 / 3)
    assert figures.series[-1][0] == 3 * 3600
    # 2.4 real hours in the item still waits, 2.7 hours in it was taken
    assert figures.series[80] == (8640.0, 1)
    assert figures.series[90] == (9720.0, 0)
    assert len(figures.series) == SERIES_POINTS + 1
