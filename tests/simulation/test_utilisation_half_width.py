"""A utilisation's 95% half-width is in percentage points and says so: ``52.1% ±3.2%``, as a
duration's says its unit (``20.2h ±1.5h``); ``52.1% ±3.2`` left the reader to guess whether
3.2 was a share, a percentage or a count."""

from __future__ import annotations

import re

from wfengine import PackageBuilder, Scenario, simulate


def _report() -> str:
    pb = PackageBuilder("desk")
    pb.process("ticket").participant("clerk").activity("answer", performer="clerk")
    scenario = Scenario.from_data(
        {
            "arrivals": {"poisson": "8/h"},
            "activities": {"answer": {"duration": {"exponential": "6m"}}},
            "resources": {"clerk": 1},
        }
    )
    return simulate(pb.build(), scenario, instances=40, replications=3, seed=1).text()


def test_utilisation_half_width_has_its_unit() -> None:
    [line] = [line for line in _report().splitlines() if line.startswith("clerk ")]
    assert re.search(r" \d+\.\d% ±\d+\.\d%$", line), line
