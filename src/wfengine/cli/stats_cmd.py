"""``wfengine stats --db URL [--process P] [--since T] [--until T] [--json] [--plot OUT]
[--diagram OUT]``: process metrics.

A contract (scripts rely on these exactly): for each process (or only P) the figures of
:func:`wfengine.audit.metrics.process_metrics`: instances started, completed and open; cycle
time; throughput per day; per activity the count, waiting and processing time (mean, median,
95th percentile, seconds) and overdue share; per user, role and unit the work items
completed and held (a unit's: its members' and those of the units below it); the
bottlenecks (activities by total waiting time). ``--json`` prints a list with one object per
process (``ProcessMetrics.as_dict`` keys). ``--plot
OUT.png|OUT.svg`` also draws the waiting and processing times per activity (box plots) and
the work in progress over time (matplotlib: ``pip install 'wfengine[plots]'``); ``--diagram
OUT.svg|png|dot`` the process diagram coloured by mean waiting time (Graphviz for SVG and
PNG); both need one process (``--process``, or a database with one) and draw the window
``--since``/``--until`` selects, and both name a file (``-`` is refused: standard output
carries the report). Throughput per day is the instances completed in the window
per day of it (an open side bounded by the first start or last completion in it:
:func:`wfengine.audit.metrics.throughput_per_day`). An instance or activity row whose time
cannot be read (edited by hand) is left out of the figures with a message on stderr naming
its id. Exit 0;
1 for a ``--process`` never deployed there; 2 on usage errors (an ``--until`` not after
``--since`` among them), a missing matplotlib or Graphviz, and databases that cannot be used.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from wfengine.cli.audit_cmd import parse_time
from wfengine.cli.database import db_option, engine_on
from wfengine.cli.json_output import dumps
from wfengine.cli.loading import non_empty
from wfengine.cli.option_types import STORED_TEXT
from wfengine.cli.stderr_log import logging_to_stderr
from wfengine.one_line import one_line


@click.command()
@db_option
@click.option("--process", "process_id", metavar="P", type=STORED_TEXT, help="Only this process.")
@click.option(
    "--since",
    metavar="T",
    callback=parse_time,
    help="What started or completed at or after T (work in progress: as it stands).",
)
@click.option(
    "--until", metavar="T", callback=parse_time, help="What started or completed before T."
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one per process.")
@click.option(
    "--plot",
    metavar="OUT",
    callback=non_empty("name a .png or .svg file"),
    help="Draw times and work in progress (.png or .svg).",
)
@click.option(
    "--diagram",
    metavar="OUT",
    callback=non_empty("name a .svg, .png or .dot file"),
    help="Draw the diagram by waiting time (.svg/.png/.dot).",
)
def stats(
    url: str,
    process_id: str | None,
    since: datetime | None,
    until: datetime | None,
    as_json: bool,
    plot: str | None,
    diagram: str | None,
) -> None:
    """Process metrics: waiting and processing times, throughput, bottlenecks.

    \b
    Example:
      wfengine stats --db sqlite:///wfengine.db --process complaint --json
    """
    from wfengine.audit.metrics import empty_window, process_metrics, short_duration

    if (reason := empty_window(since, until, "--")) is not None:
        raise click.BadParameter(reason, param_hint="--until")
    if diagram == "-":  # the report is on standard output; the diagram would run into it
        raise click.UsageError("--diagram -: name a .svg, .png or .dot file to draw it in")
    # the store reports the rows it leaves out on the wfengine.store logger (as instances does)
    skipped_rows = logging_to_stderr("warning", "wfengine stats: %(message)s", "wfengine.store")
    with skipped_rows, engine_on(url) as engine:
        if process_id is not None:
            engine.deployed(process_id)  # a misspelt process: exit 1 naming it, not zeros
            processes = [process_id]
        else:
            processes = sorted({s.process_id for s in engine.instance_summaries()})
        found = [process_metrics(engine, p, since=since, until=until) for p in processes]
        if plot is not None or diagram is not None:
            if len(found) != 1:
                raise click.UsageError(
                    "--plot and --diagram draw one process: name it with --process"
                )
            _draw(engine, found[0], plot, diagram, since, until)
    if as_json:
        click.echo(dumps([m.as_dict() for m in found]))
        return
    if not found:  # (an empty database printed nothing at all, which read as a failure)
        click.echo("wfengine stats: no process instance in the database yet", err=True)
    for m in found:
        cycle = short_duration(m.cycle_time.median)
        click.echo(
            f"{one_line(m.process_id)}: {m.started} started, {m.completed} completed, "
            f"{m.work_in_progress} open; median cycle time {cycle}"
        )
        click.echo(
            f"  {'ACTIVITY':<24} {'COUNT':>6} {'WAIT p50':>10} {'WAIT p95':>10} "
            f"{'WORK p50':>10} {'OVERDUE':>8}"
        )
        for a in m.activities:
            act = one_line(a.activity_id)
            click.echo(
                f"  {act:<24} {a.count:>6} {short_duration(a.waiting.median):>10} "
                f"{short_duration(a.waiting.p95):>10} {short_duration(a.processing.median):>10} "
                f"{a.overdue_share:>8.0%}"
            )
        if m.bottlenecks:
            click.echo(f"  bottlenecks: {', '.join(map(one_line, m.bottlenecks[:5]))}")
        _more_lines(m)


def _more_lines(m: Any) -> None:
    """The text's figures after the lines above (which scripts read, and which stay as they
    were): throughput, the work waiting now, and per user, role and unit the work items
    completed and held. Why: ``--help`` and the README list them, and only ``--json`` showed
    them. Ids pass through :func:`~wfengine.one_line.one_line`, as in the lines above: one
    holding a line break would forge a row."""
    from wfengine.audit.metrics import short_duration

    per_day = "-" if m.throughput_per_day is None else _per_day(m.throughput_per_day)
    click.echo(f"  throughput: {per_day} completed per day")
    for w in m.waiting_now:
        click.echo(
            f"  waiting now: {one_line(w.activity_id)} {w.count} "
            f"(wait p50 {short_duration(w.waiting.median)}, p95 {short_duration(w.waiting.p95)})"
        )
    if m.users:
        click.echo(f"  {'USER':<24} {'COMPLETED':>10} {'HOLDING':>8}")
        for u in m.users:
            click.echo(f"  {one_line(u.user):<24} {u.completed:>10} {u.holding:>8}")
    if m.groups:
        click.echo(f"  {'ROLE/UNIT':<24} {'COMPLETED':>10} {'HOLDING':>8}")
        for g in m.groups:
            group = one_line(f"{g.kind} {g.id}")
            click.echo(f"  {group:<24} {g.completed:>10} {g.holding:>8}")


def _draw(
    engine: Any,
    metrics: Any,
    plot: str | None,
    diagram: str | None,
    since: datetime | None,
    until: datetime | None,
) -> None:
    """The figure and the diagram of ``metrics``, both of the window ``[since, until)``."""
    from pathlib import Path

    from wfengine.audit.plots import PlottingUnavailable, heat_diagram, plot_bytes
    from wfengine.cli.exit_status import InputOutputError
    from wfengine.cli.loading import write_output
    from wfengine.cli.render_cmd import format_for, run_graphviz

    if plot is not None:
        fmt = Path(plot).suffix.lower().removeprefix(".")
        if fmt not in ("png", "svg"):
            raise click.UsageError(f"--plot {plot!r}: name a .png or .svg file")
        try:
            picture = plot_bytes(engine, metrics.process_id, fmt, since=since, until=until)
        except PlottingUnavailable as exc:
            raise InputOutputError(str(exc)) from exc
        # written as --diagram and -o write: aside, then renamed; never over a database
        write_output(plot, picture)
    if diagram is not None:
        fmt = format_for(diagram, None, format_option=False)
        text = heat_diagram(engine, metrics)
        data = text.encode() if fmt == "dot" else run_graphviz(text, fmt, format_option=False)
        write_output(diagram, data)


def _per_day(rate: float) -> str:
    """A throughput as people read it: ``1,230`` or ``4.8``, never ``1.23e+03``."""
    return f"{rate:,.0f}" if rate >= 100 else f"{rate:.3g}"
