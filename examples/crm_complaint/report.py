"""The report after a simulated day (``day.py``): what a call-centre manager reads.

Cases per path, as the audit trail has them (:func:`path_of`); mean and 95th-percentile
waiting and handling time per step (the engine's audit metrics); the bottleneck (the step
where complaints waited longest in total); reminders and escalations sent; what people were
told of their work, by e-mail and SMS (``notices.py``); one case's brief status (what the
customer sees) next to its detailed status (what the people inside see); and, with matplotlib
installed (the ``plots`` extra), a PNG of waiting and handling time per step.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wfengine import Engine
from wfengine.audit.metrics import process_metrics, short_duration
from wfengine.audit.status import brief_status, detailed_status


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


#: the steps people do (the others are automatic, or waits for the customer)
PEOPLE_STEPS = ("coordinate", "amend", "agent_reply", "department")
#: what people were told, by the notifiers' event names
TOLD = {"offered": "new work", "overdue": "reminders", "escalated": "escalations",
        "sent back": "sent back", "withdrawn": "withdrawn"}  # fmt: skip


def path_of(done: list[str]) -> str:
    """The path a case took, from the activities its trail shows completed, in order: the
    most telling step wins (a case asked about, then replied to, was asked the customer)."""
    turns = done.count("department")
    if "record_instant" in done:
        return "instant answer"
    if "aborted" in done:
        return "aborted"
    if "step_back" in done:  # a department rejected it back a step: turns were done again
        return f"departments, sent back a step ({turns} turns)"
    if turns:
        return "one department" if turns == 1 else f"departments ({turns} in sequence)"
    for step, path in (("ask", "asked the customer"), ("amend", "amended by the agent"),
                       ("agent_reply", "replied by an agent"),
                       ("record_reply", "closed by the coordinator")):  # fmt: skip
        if step in done:
            return path
    return "still open"


@dataclass
class Trail:
    """What the day's audit trail says: cases per path, reminders and escalations."""

    paths: Counter[str] = field(default_factory=Counter)
    reminders: int = 0
    escalations: int = 0


def read_trail(engine: Engine, instance_ids: Iterable[str]) -> Trail:
    """Cases per path (:func:`path_of`), reminders and escalations, from each case's trail."""
    trail = Trail()
    for iid in instance_ids:
        done: list[str] = []
        for e in engine.audit(iid):
            if e.kind == "activity.completed" and e.activity_id is not None:
                done.append(e.activity_id)
            trail.reminders += e.kind == "work_item.reminder"
            trail.escalations += e.kind == "work_item.escalated"
        trail.paths[path_of(done)] += 1
    return trail


def report(engine: Engine, result: Any, crm: Any, png: Path | None, told: Any = None) -> str:
    """The report of ``result`` (a ``day.DayResult``) as text; writes the PNG to ``png``.
    ``told``: the ``notices.Recorded`` the people's notifiers sent through, if any."""
    out: list[str] = []
    trail = read_trail(engine, result.instance_ids)
    total = len(result.instance_ids)
    hours = (result.ended - result.started).total_seconds() / 3600
    out.append(f"{total} complaints from {result.started:%a %H:%M}; the last case closed "
               f"{hours:.1f} hours later (waits for customers' replies included)")  # fmt: skip
    out.append("")
    out.append("Cases per path (as the audit trail has them)")
    rows = [["path", "cases", "share"]]
    for path, n in trail.paths.most_common():
        rows.append([path, str(n), f"{100 * n / total:.0f}%"])
    out += _table(rows)

    metrics = process_metrics(engine, "complaint")
    out.append("")
    out.append("Time per step (people's steps: waiting for someone to take it, then handling)")
    rows = [["step", "done", "wait mean", "wait p95", "handling mean", "handling p95"]]
    steps = [a for a in metrics.activities if a.activity_id in PEOPLE_STEPS]
    for a in sorted(steps, key=lambda a: -a.waiting.total):
        rows.append([
            a.activity_id, str(a.count),
            short_duration(a.waiting.mean), short_duration(a.waiting.p95),
            short_duration(a.processing.mean), short_duration(a.processing.p95),
        ])  # fmt: skip
    out += _table(rows)
    if metrics.bottlenecks:
        top = metrics.bottlenecks[0]
        waited = next(a for a in metrics.activities if a.activity_id == top).waiting.total
        out.append("")
        out.append(f"Bottleneck: {top!r} (complaints waited {waited / 3600:.1f} hours there in "
                   "total, more than at any other step)")  # fmt: skip
    out.append(f"Reminders sent: {trail.reminders}; escalated to a supervisor: "
               f"{trail.escalations}")  # fmt: skip
    out.append(f"Notifications to customers: {len(crm.sent())} (SMS for the hotline, e-mail "
               f"for the web; {len(crm.told_milestones())} of them progress notices)")  # fmt: skip
    stuck = crm.sent(channel="undeliverable")  # crm.UNDELIVERABLE: an SMS to a landline
    if stuck:
        out.append(f"Not deliverable by SMS (a landline, no e-mail address): {len(stuck)} "
                   f"to {len({m['phone'] for m in stuck})} customers")  # fmt: skip
    if told is not None:
        out.append("People told of their work: " + "; ".join(
            f"{sum(counts.values())} by {channel} ({_told(counts)})"
            for channel, counts in told.counts().items()
        ))  # fmt: skip

    case = _a_department_case(engine, result.instance_ids)
    if case is not None:
        brief = brief_status(engine, case).as_dict()
        detail = detailed_status(engine, case)
        out.append("")
        out.append(f"One case, {case}, as the customer sees it (brief status):")
        out += ["  " + line for line in json.dumps(brief, indent=2, default=str).splitlines()]
        out.append("and as the people inside see it (detailed status, abridged):")
        for step in detail.activities:
            if step.performer or step.activity_id in ("coordinate", "department"):
                by = step.performer or "-"
                out.append(f"  {step.activity_id:<14} {step.state.value:<18} by {by}")
        data = detail.instance.data
        out.append(f"  opinions: {data.get('opinions', '').strip()!r}")
        out.append(f"  reply: {data.get('reply')!r}")
    if png is not None:
        out.append("")
        if plot(steps, png):
            out.append(f"Waiting and handling time per step, drawn: {png}")
        else:
            out.append("(no picture: install the plots extra, pip install 'wfengine[plots]')")
    return "\n".join(out)


def _told(counts: Counter[str]) -> str:
    return ", ".join(f"{TOLD.get(event, event)} {n}" for event, n in counts.most_common())


def plot(steps: list[Any], png: Path) -> bool:
    """Bars of the mean and 95th-percentile waiting and handling time per step, in minutes;
    False when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    names = [a.activity_id for a in steps]
    series = {
        "wait (mean)": [(a.waiting.mean or 0) / 60 for a in steps],
        "wait (p95)": [(a.waiting.p95 or 0) / 60 for a in steps],
        "handling (mean)": [(a.processing.mean or 0) / 60 for a in steps],
        "handling (p95)": [(a.processing.p95 or 0) / 60 for a in steps],
    }
    fig, ax = plt.subplots(figsize=(8, 4.5))
    try:
        width = 0.2
        for n, (label, values) in enumerate(series.items()):
            ax.bar([i + (n - 1.5) * width for i in range(len(names))], values, width,
                   label=label)  # fmt: skip
        ax.set_xticks(range(len(names)), names)
        ax.set_ylabel("minutes")
        ax.set_title("Complaints: waiting and handling time per step")
        ax.legend()
        fig.tight_layout()
        fig.savefig(str(png))
    finally:
        plt.close(fig)
    return True


def _a_department_case(engine: Engine, ids: list[str]) -> str | None:
    """A case that went through more than one department, else any that went through one."""
    best = None
    for iid in ids:
        trace = engine.trace(iid)
        n = trace.count("department")
        if n >= 2:
            return iid
        if n == 1 and best is None:
            best = iid
    return best
