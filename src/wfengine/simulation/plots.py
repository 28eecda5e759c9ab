"""A picture of one simulation or of two variants side by side: mean waiting time per
activity (bars, A beside B) and, for the activities where most waited, how many work items
waited to be taken over the simulated time (first replication). Needs matplotlib
(``pip install 'wfengine[plots]'``).

The picture is given as the bytes of a file, which the caller writes its own way (the CLI:
aside, then renamed, never over a database): matplotlib writing a path itself wrote straight
over whatever was there, and left a partial file when interrupted.
"""

from __future__ import annotations

import io
from typing import Any

from wfengine.audit.plots import _pyplot
from wfengine.simulation.report import SimulationReport

#: queues drawn: the activities with the longest mean queue
QUEUES_DRAWN = 3


def simulation_plot(reports: list[SimulationReport], fmt: str) -> bytes:
    """Draw ``reports`` (one, or two variants) as the bytes of a ``fmt`` file (``"png"``
    or ``"svg"``)."""
    plt = _pyplot()
    fig, (bars, lines) = plt.subplots(2, 1, figsize=(10, 8))
    buffer = io.BytesIO()
    try:
        _waiting_bars(reports, bars)
        _queues(reports, lines)
        fig.tight_layout()
        fig.savefig(buffer, format=fmt)
    finally:
        plt.close(fig)
    return buffer.getvalue()


def _waiting_bars(reports: list[SimulationReport], bars: Any) -> None:
    """The mean waiting time per activity, the variants' bars side by side."""
    activities = sorted(a for r in reports for a, s in r.activities.items() if s.waiting.mean)
    activities = sorted(set(activities))
    width = 0.8 / len(reports)
    for n, report in enumerate(reports):
        summary = report.activities
        means = [(summary[a].waiting.mean or 0.0) / 60 if a in summary else 0.0 for a in activities]
        xs = [k + n * width for k in range(len(activities))]
        bars.bar(xs, means, width, label=_label(report, n, len(reports)))
    bars.set_xticks([k + width * (len(reports) - 1) / 2 for k in range(len(activities))])
    bars.set_xticklabels(activities, rotation=30, ha="right")
    bars.set_ylabel("mean waiting (minutes)")
    bars.legend()


def _queues(reports: list[SimulationReport], lines: Any) -> None:
    """The work items waiting over simulated time at each variant's busiest activities: one
    colour per activity across the variants, the line's style telling the variant. Why not a
    colour per rank: the two variants' busiest need not be the same activities, and A's
    approve and B's ship came out in one colour."""
    drawn: list[list[str]] = []
    for report in reports:
        first = report.replications[0]
        drawn.append(sorted(first.queues, key=lambda a: -first.queues[a].mean)[:QUEUES_DRAWN])
    colours = {act: f"C{k}" for k, act in enumerate(dict.fromkeys(a for d in drawn for a in d))}
    for n, (report, busiest) in enumerate(zip(reports, drawn, strict=True)):
        first = report.replications[0]
        for act in busiest:
            series = first.queues[act].series
            style = "-" if n == 0 else "--"
            lines.step(
                [t / 3600 for t, _ in series],
                [q for _, q in series],
                style,
                where="post",
                color=colours[act],
                label=f"{act} ({_label(report, n, len(reports))})",
            )
    lines.set_xlabel("simulated hours")
    lines.set_ylabel("work items waiting")
    if lines.get_legend_handles_labels()[0]:
        lines.legend()


def _label(report: SimulationReport, n: int, count: int) -> str:
    return report.name if count == 1 else f"{'AB'[n]}: {report.name}"
