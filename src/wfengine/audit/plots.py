"""Pictures of a process's metrics, for people who would rather look than read:

* :func:`write_plot`: a figure (PNG or SVG by the file's suffix) with the waiting and
  processing time of each activity as box plots, and the work in progress (open instances)
  over time, of a period as :func:`~wfengine.audit.metrics.process_metrics` takes it; it
  needs matplotlib (``pip install 'wfengine[plots]'``), imported only here;
  :func:`plot_bytes` gives the same figure as the bytes of a file, for a caller that
  writes files its own way (the CLI: aside, then renamed, never over a database);
* :func:`heat_diagram`: the process diagram (:func:`wfengine.definition.render.process_to_dot`)
  with each activity filled by its mean waiting time, white (none) to red (the longest), and
  the figure under its label; DOT text, which ``wfengine render``'s Graphviz step turns into
  SVG or PNG.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wfengine.audit.exports import xml_text
from wfengine.audit.metrics import (
    ProcessMetrics,
    activity_durations_of,
    check_process,
    check_window,
    nearest_rank,
    short_duration,
)
from wfengine.definition.render import process_to_dot

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine

#: the colour of the longest mean wait (the heat scale runs from white to it)
HOT = (215, 48, 31)


class PlottingUnavailable(RuntimeError):
    """matplotlib is not installed, or is installed and fails to import."""


def _pyplot() -> Any:
    """matplotlib's pyplot, drawing to files only.

    Only matplotlib itself missing is "install it": one that is there and fails to import (a
    matplotlib built for numpy 1 next to numpy 2 says "_ARRAY_API not found", a dependency
    of its own is missing) is named with its cause, since telling the user to install what
    they have installed sends them round in circles.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only, never a window
        import matplotlib.pyplot as plt
    except ModuleNotFoundError as exc:
        if exc.name != "matplotlib":
            raise _broken(exc) from exc
        raise PlottingUnavailable(
            "plots need matplotlib: pip install 'wfengine[plots]' (or matplotlib)"
        ) from exc
    except Exception as exc:  # whatever its import raises: ImportError, AttributeError...
        raise _broken(exc) from exc
    return plt


def _broken(exc: Exception) -> PlottingUnavailable:
    return PlottingUnavailable(
        f"matplotlib is installed but fails to import: {type(exc).__name__}: {exc} "
        "(reinstall a version that fits the installed numpy: pip install -U "
        "'wfengine[plots]')"
    )


def durations_by_activity(
    engine: Engine,
    process_id: str,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[str, list[tuple[float, float, bool]]]:
    """activity id -> (waiting, processing, late) of each of its instances that completed in
    ``[since, until)`` (all time by default)."""
    check_window(since, until)
    store: Any = engine.store
    if hasattr(store, "activity_durations"):
        found: dict[str, list[tuple[float, float, bool]]] = store.activity_durations(
            process_id, since, until
        )
        return found
    from wfengine.audit.exports import iter_events
    from wfengine.audit.loop_rounds import LoopActivities

    events = iter_events(engine, process_id=process_id)
    return activity_durations_of(events, since, until, looped=LoopActivities(engine))


def work_in_progress(
    engine: Engine,
    process_id: str,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[tuple[datetime, int]]:
    """(time, instances open from then on) at every start and completion in ``[since,
    until)``, oldest first; with ``since``, the series begins there with the instances open
    at that moment."""
    check_window(since, until)
    steps: list[tuple[datetime, int]] = []
    for s in engine.instance_summaries(process_id=process_id):
        steps.append((s.created_at, 1))
        if s.state.is_closed and s.completed_at is not None:
            steps.append((s.completed_at, -1))
    steps.sort(key=lambda x: (x[0], x[1]))
    found: list[tuple[datetime, int]] = []
    level = 0
    if since is not None:
        level = sum(change for at, change in steps if at < since)
        found.append((since, level))
    for at, change in steps:
        if (since is None or at >= since) and (until is None or at < until):
            level += change
            found.append((at, level))
    return found


def write_plot(
    engine: Engine,
    process_id: str,
    path: str | Path,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> None:
    """Write the figure of ``process_id``'s times and work in progress in ``[since,
    until)`` (all time by default) to ``path`` (the format by its suffix: .png or .svg);
    ``since`` and ``until`` are times with a timezone, as :func:`~wfengine.audit.metrics.
    process_metrics` takes them."""
    _draw(engine, process_id, since, until, lambda fig: fig.savefig(str(path)), "write_plot")


def plot_bytes(
    engine: Engine,
    process_id: str,
    fmt: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> bytes:
    """The figure :func:`write_plot` draws, as the bytes of a ``fmt`` file (``"png"`` or
    ``"svg"``). Why bytes: matplotlib writing a path itself writes straight over whatever
    is there (a SQLite database named ``x.svg`` by mistake) and leaves a partial file when
    interrupted; the caller writes these through its own file handling."""
    buffer = io.BytesIO()
    _draw(engine, process_id, since, until, partial(_save, buffer, fmt), "plot_bytes")
    return buffer.getvalue()


def _save(buffer: io.BytesIO, fmt: str, fig: Any) -> None:
    fig.savefig(buffer, format=fmt)


def _draw(
    engine: Engine,
    process_id: str,
    since: datetime | None,
    until: datetime | None,
    save: Callable[[Any], None],
    caller: str,
) -> None:
    """Draw the figure of :func:`write_plot` and hand it to ``save``.

    ``process_id`` is checked first, as :func:`~wfengine.audit.metrics.process_metrics`
    checks it (a process never deployed is a ``NotFoundError`` naming those deployed): a
    typo drew an empty chart, and ``write_plot`` wrote it over the file."""
    check_process(engine, process_id, caller)
    check_window(since, until)
    plt = _pyplot()
    durations = durations_by_activity(engine, process_id, since, until)
    names = sorted(durations)
    fig, (times, wip) = plt.subplots(2, 1, figsize=(max(6.0, 1.2 * len(names) + 2), 8))
    try:
        if names:
            waiting = [[w / 3600 for w, _, _ in durations[n]] for n in names]
            working = [[p / 3600 for _, p, _ in durations[n]] for n in names]
            at = list(range(len(names)))
            # the median line at the table's (nearest-rank) median, not matplotlib's
            # interpolated one, so the picture and the figures agree
            times.boxplot(
                waiting, positions=[x - 0.2 for x in at], widths=0.35, usermedians=_medians(waiting)
            )
            times.boxplot(
                working, positions=[x + 0.2 for x in at], widths=0.35, usermedians=_medians(working)
            )
            # text SVG cannot hold (see exports.xml_text) would make the file unreadable
            times.set_xticks(at, [xml_text(n) for n in names], rotation=30, ha="right")
        times.set_ylabel("hours (left: waiting, right: processing)")
        times.set_title(f"{xml_text(process_id)}: waiting and processing time per activity")
        series = work_in_progress(engine, process_id, since, until)
        if series:
            wip.step([t for t, _ in series], [n for _, n in series], where="post")
        wip.set_ylabel("open instances")
        wip.set_title("work in progress")
        # not fig.autofmt_xdate(): it hides the x labels of every panel but the last, and the
        # activity names are the top panel's
        for label in wip.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
        fig.tight_layout()
        save(fig)
    finally:
        plt.close(fig)


def _medians(groups: list[list[float]]) -> list[float]:
    """The nearest-rank median of each group, as the ``stats`` table and ``--json`` give it."""
    return [nearest_rank(sorted(values), 0.5) for values in groups]


def heat_of(metrics: ProcessMetrics) -> dict[str, tuple[str, str]]:
    """activity id -> (fill colour by its mean waiting time, the figure as a label line)."""
    means = {a.activity_id: a.waiting.mean or 0.0 for a in metrics.activities}
    top = max(means.values(), default=0.0)
    found = {}
    for act, mean in means.items():
        share = mean / top if top > 0 else 0.0
        rgb = [round(255 + (c - 255) * share) for c in HOT]
        found[act] = ("#{:02x}{:02x}{:02x}".format(*rgb), f"wait {short_duration(mean)}")
    return found


def heat_diagram(engine: Engine, metrics: ProcessMetrics) -> str:
    """The DOT text of the process's diagram coloured by mean waiting time (the version the
    latest instance runs)."""
    summaries = engine.instance_summaries(process_id=metrics.process_id)
    version = max((s.version for s in summaries), default=None)
    deployed = engine.deployed(metrics.process_id, version)
    return process_to_dot(deployed.definition, deployed.package, heat_of(metrics))
