"""What a simulation says: the [audit] metrics of each replication's trail, resource
utilisation, queues over time, and 95% confidence intervals over the replications.

Per replication the figures are those ``wfengine stats`` gives for a real trail (waiting and
processing time per activity, cycle time, throughput, bottlenecks:
:func:`wfengine.audit.metrics.process_metrics`), plus what only a simulation knows: how much
of their working time each group of people spent working (**utilisation**: busy time over
calendar-open time, over the simulated period: from the start to the scenario's horizon when
it has one, whatever ended the run, else to the run's last event) and how many work items of
each activity waited to be taken (**queue**: time-weighted mean, peak, and the length sampled at 100
moments). **Processing** is measured as ``wfengine stats`` measures it, from a step's start
to its completion: with working calendars a step that spanned a night or a weekend counts
those closed hours too (utilisation counts open time only). Over the replications each
headline figure is an :class:`Estimate`: the mean of the replications' values and the
half-width of its 95% confidence interval (Student's t; none with a single replication).
"""

from __future__ import annotations

import bisect
import math
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wfengine.audit.metrics import ProcessMetrics, short_duration

#: Student's t, 97.5% quantile, by degrees of freedom (1-30); beyond, a series in z
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
_Z975 = 1.959964
#: moments at which a queue's length is sampled for the report
SERIES_POINTS = 100
#: ``Replication.stopped`` of a run the scenario's horizon ended (work was still to come)
HORIZON = "horizon"
#: ``Replication.stopped`` of a run ended because only timers that re-arm for ever were left
#: and a round of them changed nothing (:mod:`wfengine.simulation.steady`)
ENDLESS = "endless timers"


def t975(df: int) -> float:
    """The 97.5% quantile of Student's t with ``df`` degrees of freedom."""
    if df < 1:
        raise ValueError("degrees of freedom start at 1")
    if df <= len(_T975):
        return _T975[df - 1]
    z = _Z975
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


@dataclass(frozen=True, slots=True)
class Estimate:
    """A figure over the replications: their mean and its 95% confidence half-width."""

    mean: float | None
    half_width: float | None
    #: the replications' values, those without one (no case completed) left out
    values: tuple[float, ...]
    #: each replication's value in replication order, None where it had none: what pairs
    #: two variants' replications (``values`` alone would pair them by position)
    by_replication: tuple[float | None, ...] = ()

    @classmethod
    def of(cls, values: Iterable[float | None]) -> Estimate:
        every = tuple(values)
        kept = tuple(v for v in every if v is not None)
        if not kept:
            return cls(None, None, (), every)
        mean = statistics.fmean(kept)
        if len(kept) < 2:
            return cls(mean, None, kept, every)
        half = t975(len(kept) - 1) * statistics.stdev(kept) / math.sqrt(len(kept))
        return cls(mean, half, kept, every)

    def as_dict(self) -> dict[str, Any]:
        return {"mean": self.mean, "half_width": self.half_width, "values": list(self.values)}


@dataclass(frozen=True, slots=True)
class GroupUse:
    """One group's (participant, role or unit) working time in a replication."""

    people: int
    busy_seconds: float
    available_seconds: float

    @property
    def share(self) -> float | None:
        return self.busy_seconds / self.available_seconds if self.available_seconds else None


@dataclass(frozen=True, slots=True)
class QueueFigures:
    """Work items of one activity waiting to be taken, over a replication."""

    mean: float
    peak: int
    #: (seconds since the start, length) at :data:`SERIES_POINTS` even moments
    series: tuple[tuple[float, int], ...]


@dataclass(frozen=True, slots=True)
class Replication:
    metrics: ProcessMetrics
    started: datetime
    ended: datetime
    arrived: int
    #: work items offered to nobody (they wait for ever)
    unassigned: int
    groups: Mapping[str, GroupUse]
    queues: Mapping[str, QueueFigures]
    #: open incidents at the end: (activity id, message), the first few of them
    incidents: tuple[tuple[str, str], ...] = ()
    incident_count: int = 0
    #: what ended the run while work was still to come (:data:`HORIZON`), None: its work did
    stopped: str | None = None
    #: the activities (queues) of the work items offered to nobody, which wait there
    unassigned_at: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "started": self.started.isoformat(),
            "ended": self.ended.isoformat(),
            "stopped": self.stopped,
            "arrived": self.arrived,
            "unassigned": self.unassigned,
            "unassigned_activities": list(self.unassigned_at),
            "incidents": self.incident_count,
            "first_incidents": [{"activity_id": a, "message": m} for a, m in self.incidents],
            "metrics": self.metrics.as_dict(),
            "utilisation": {
                g: {
                    "people": u.people,
                    "busy_seconds": u.busy_seconds,
                    "available_seconds": u.available_seconds,
                    "share": u.share,
                }
                for g, u in sorted(self.groups.items())
            },
            "queues": {
                a: {"mean": q.mean, "peak": q.peak, "series": [list(p) for p in q.series]}
                for a, q in sorted(self.queues.items())
            },
        }


@dataclass(frozen=True, slots=True)
class ActivitySummary:
    count: Estimate
    waiting: Estimate
    processing: Estimate
    queue: Estimate

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count.as_dict(),
            "waiting_mean": self.waiting.as_dict(),
            "processing_mean": self.processing.as_dict(),
            "queue_mean": self.queue.as_dict(),
        }


@dataclass(frozen=True)
class SimulationReport:
    """A simulation's result (see the module notes); :meth:`as_dict` is the ``--json``
    shape."""

    name: str
    process_id: str
    seed: int
    instances: int
    replications: tuple[Replication, ...]
    #: applications the run stood in for (nothing bound them)
    stubbed: tuple[str, ...] = ()

    @property
    def completed(self) -> Estimate:
        return Estimate.of(r.metrics.completed for r in self.replications)

    @property
    def cycle_time(self) -> Estimate:
        return Estimate.of(r.metrics.cycle_time.mean for r in self.replications)

    @property
    def throughput_per_day(self) -> Estimate:
        return Estimate.of(r.metrics.throughput_per_day for r in self.replications)

    @property
    def activities(self) -> dict[str, ActivitySummary]:
        ids = sorted({a.activity_id for r in self.replications for a in r.metrics.activities})
        ids += sorted({a for r in self.replications for a in r.queues} - set(ids))
        found: dict[str, ActivitySummary] = {}
        for act in ids:
            rows = [_activity(r.metrics, act) for r in self.replications]
            found[act] = ActivitySummary(
                Estimate.of(float(row.count) if row else 0.0 for row in rows),
                Estimate.of(row.waiting.mean if row else None for row in rows),
                Estimate.of(row.processing.mean if row else None for row in rows),
                Estimate.of(
                    r.queues[act].mean if act in r.queues else 0.0 for r in self.replications
                ),
            )
        return found

    @property
    def utilisation(self) -> dict[str, Estimate]:
        groups = sorted({g for r in self.replications for g in r.groups})
        return {
            g: Estimate.of(r.groups[g].share if g in r.groups else None for r in self.replications)
            for g in groups
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "process_id": self.process_id,
            "seed": self.seed,
            "instances": self.instances,
            "replications": len(self.replications),
            "stubbed": list(self.stubbed),
            "summary": {
                "completed": self.completed.as_dict(),
                "cycle_time_mean": self.cycle_time.as_dict(),
                "throughput_per_day": self.throughput_per_day.as_dict(),
                "activities": {a: s.as_dict() for a, s in self.activities.items()},
                "utilisation": {g: e.as_dict() for g, e in self.utilisation.items()},
            },
            "runs": [r.as_dict() for r in self.replications],
        }

    def text(self) -> str:
        """The report for people."""
        first = self.replications[0]
        arrived = max(r.arrived for r in self.replications)
        count = f"{self.instances} instances"
        if arrived < self.instances:  # an arrival list, or a horizon, ended them sooner
            short = [r for r in self.replications if r.arrived < self.instances]
            horizon = any(r.stopped == HORIZON for r in short)
            ended = "the horizon ended them" if horizon else "the arrivals ended"
            count = f"{arrived} instances ({ended} before {self.instances})"
        notes = []
        if len(self.replications) > 1:
            notes.append("first replication")
        if first.stopped == HORIZON:
            notes.append("to the horizon")
        elif first.stopped == ENDLESS:
            notes.append("stopped: only endless timers were left")
        lines = [
            f"Simulation {self.name!r} of process {self.process_id}: {count} "
            f"x {len(self.replications)} replication(s), seed {self.seed}",
            f"simulated time {first.started:%Y-%m-%d %H:%M} -> {first.ended:%Y-%m-%d %H:%M}"
            + (f" ({', '.join(notes)})" if notes else ""),
        ]
        if self.stubbed:
            lines.append("stand-ins for: " + ", ".join(self.stubbed))
        lines += [
            "",
            f"completed      {_n(self.completed)}",
            f"cycle time     {_d(self.cycle_time)}",
            f"per day        {_n(self.throughput_per_day, 1)}",
            "",
            f"{'activity':<24} {'count':>12} {'waiting':>16} {'processing':>16} {'queue':>14}",
        ]
        quiet = 0
        for act, s in self.activities.items():
            if all(e.mean == 0 for e in (s.waiting, s.processing, s.queue)):
                # automatic, and took no time: measured so (None, not measured, is no 0: an
                # activity a deadline always interrupts keeps its row, with "-")
                quiet += 1
                continue
            lines.append(
                f"{act:<24} {_n(s.count):>12} {_d(s.waiting):>16} {_d(s.processing):>16} "
                f"{_n(s.queue, 2):>14}"
            )
        if quiet:
            lines.append(f"({quiet} more activities took no time and kept nobody waiting)")
        if self.utilisation:
            lines += ["", f"{'resource':<24} {'people':>6} {'utilisation':>16}"]
            for group, est in self.utilisation.items():
                people = first.groups[group].people if group in first.groups else 0
                lines.append(f"{group:<24} {people:>6} {_pct(est):>16}")
        bottlenecks = first.metrics.bottlenecks
        if bottlenecks:
            lines += ["", "bottlenecks: " + ", ".join(bottlenecks[:5])]
        open_now = first.metrics.work_in_progress
        if open_now or first.unassigned:
            nobody = first.unassigned
            at = ", ".join(first.unassigned_at)
            lines.append(
                f"at the end: {open_now} instance(s) still open"
                + (
                    f", {nobody} work item(s) offered to nobody, waiting at {at} (no person "
                    "the scenario has may take them)"
                    if nobody
                    else ""
                )
            )
        endless = sum(r.stopped == ENDLESS for r in self.replications)
        if endless:
            lines.append(
                f"{endless} of {len(self.replications)} replication(s) stopped when only timers "
                "that re-arm for ever (repeating reminders) were left and a round of them changed "
                "nothing: their cases wait for what a simulation never sends (a message, a "
                "signal); give a horizon to run on"
            )
        if first.incident_count:
            lines.append(f"{first.incident_count} open incident(s), the first:")
            lines += [f"  {act}: {message}" for act, message in first.incidents]
        return "\n".join(lines)


def _activity(metrics: ProcessMetrics, activity_id: str) -> Any:
    return next((a for a in metrics.activities if a.activity_id == activity_id), None)


def _n(est: Estimate, digits: int = 0) -> str:
    if est.mean is None:
        return "-"
    text = f"{est.mean:.{digits}f}"
    return text if est.half_width is None else f"{text} ±{est.half_width:.{digits}f}"


def _d(est: Estimate) -> str:
    if est.mean is None:
        return "-"
    text = short_duration(est.mean)
    return text if est.half_width is None else f"{text} ±{short_duration(est.half_width)}"


def _pct(est: Estimate) -> str:
    if est.mean is None:
        return "-"
    text = f"{est.mean * 100:.1f}%"
    return text if est.half_width is None else f"{text} ±{est.half_width * 100:.1f}%"


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class Comparison:
    """Two variants run on the same arrivals and random streams, side by side."""

    a: SimulationReport
    b: SimulationReport

    def rows(self) -> list[tuple[str, Estimate, Estimate, Estimate]]:
        """(figure, a, b, b - a per replication) for every headline figure."""
        pairs: list[tuple[str, Estimate, Estimate]] = [
            ("completed", self.a.completed, self.b.completed),
            ("cycle time mean", self.a.cycle_time, self.b.cycle_time),
            ("per day", self.a.throughput_per_day, self.b.throughput_per_day),
        ]
        acts_a, acts_b = self.a.activities, self.b.activities
        for act in sorted(set(acts_a) | set(acts_b)):
            sa, sb = acts_a.get(act), acts_b.get(act)
            if not any(x is not None and x.waiting.mean != 0 for x in (sa, sb)):
                continue  # nobody waited for it in either variant (measured: None is no 0)
            pairs.append(
                (
                    f"{act} waiting",
                    _or_none(None if sa is None else sa.waiting),
                    _or_none(None if sb is None else sb.waiting),
                )
            )
        use_a, use_b = self.a.utilisation, self.b.utilisation
        for group in sorted(set(use_a) | set(use_b)):
            pairs.append(
                (f"{group} utilisation", _or_none(use_a.get(group)), _or_none(use_b.get(group)))
            )
        return [(name, x, y, _difference(x, y)) for name, x, y in pairs]

    def as_dict(self) -> dict[str, Any]:
        return {
            "a": self.a.as_dict(),
            "b": self.b.as_dict(),
            "differences": {
                name: {"a": x.mean, "b": y.mean, **d.as_dict()} for name, x, y, d in self.rows()
            },
        }

    def text(self) -> str:
        head = (
            f"A: {self.a.name} ({self.a.process_id})   B: {self.b.name} ({self.b.process_id})   "
            f"{self.a.instances} instances x {len(self.a.replications)} replication(s), "
            f"seed {self.a.seed}, same arrivals and random streams"
        )
        lines = [head, "", f"{'figure':<32} {'A':>14} {'B':>14} {'B - A':>18}"]
        for name, x, y, d in self.rows():
            show = (
                _pct
                if name.endswith("utilisation")
                else (_d if "time" in name or "waiting" in name else _n)
            )
            diff = _signed(d, show)
            lines.append(f"{name:<32} {show(_plain(x)):>14} {show(_plain(y)):>14} {diff:>18}")
        return "\n".join(lines)


def _shown(figure: str) -> Callable[[Estimate], str]:
    """How a comparison row's figure is written: a share, a duration or a count."""
    if figure.endswith("utilisation"):
        return _pct
    if "time" in figure or "waiting" in figure:
        return _d
    return _n


def _or_none(est: Estimate | None) -> Estimate:
    return est if est is not None else Estimate(None, None, ())


def _plain(est: Estimate) -> Estimate:
    return Estimate(est.mean, None, est.values)


def _signed(est: Estimate, show: Callable[[Estimate], str]) -> str:
    if est.mean is None:
        return "-"
    magnitude = show(Estimate(abs(est.mean), est.half_width, est.values))
    return ("-" if est.mean < 0 else "+") + magnitude


def _difference(a: Estimate, b: Estimate) -> Estimate:
    """B - A, paired by replication (the same streams), with its own interval: only the
    replications where both variants have the figure pair up (replication i with i)."""
    if a.by_replication and len(a.by_replication) == len(b.by_replication):
        return Estimate.of(
            y - x
            for x, y in zip(a.by_replication, b.by_replication, strict=True)
            if x is not None and y is not None
        )
    if a.mean is None or b.mean is None:
        return Estimate(None, None, ())
    return Estimate(b.mean - a.mean, None, ())  # not paired: no interval


# --------------------------------------------------------------------------- building


def queue_figures(
    changes: Sequence[tuple[datetime, int]], area: float, peak: int, start: datetime, end: datetime
) -> QueueFigures:
    """A queue's figures over ``[start, end]`` from its changes (moment, new length).

    In real time: the span, the series' offsets and the moments compared are POSIX
    timestamps, as ``area`` is real seconds. Two times of one zone subtract and compare by
    their wall-clock readings in Python, so a run across a change to summer time divided
    the area by a span an hour too long (82 h for 81), and the series ran an hour past the
    run's end."""
    span = end.timestamp() - start.timestamp()
    mean = area / span if span > 0 else 0.0
    moments = [c[0].timestamp() for c in changes]
    series: list[tuple[float, int]] = []
    for k in range(SERIES_POINTS + 1):
        offset = span * k / SERIES_POINTS
        n = bisect.bisect_right(moments, start.timestamp() + offset) - 1
        series.append((offset, changes[n][1] if n >= 0 else 0))
    return QueueFigures(mean, peak, tuple(series))
