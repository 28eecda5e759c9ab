"""``wfengine simulate FILE --scenario SCENARIO.yaml``: what-if simulation on the real engine.

Scripts rely on these: ``--scenario`` (required), ``--instances N``, ``--seed S`` (default
1), ``--replications R`` (default 1), ``--jobs J`` (replications in J worker processes;
the same report), ``--compare OTHER`` (another definition with the same
scenario, or, for a ``.yaml``/``.yml``/``.json`` file, another scenario on the same
definition), ``--process ID``, ``--apps MODULE`` (the host's application bindings; the rest
are stand-ins), ``--db URL`` (keep the first replication's trail there), ``--plot OUT``
(.png or .svg), ``--json`` (one object: the report's ``as_dict``, or with ``--compare``
``{"a", "b", "differences"}``), ``--progress/--no-progress`` (a progress bar on stderr;
default: when stderr is a terminal).

Exit status: 0 done; 1 FILE (or the compared definition) cannot be loaded; 2 usage errors,
a scenario that cannot be read or does not fit the definition, files that cannot be written,
a missing matplotlib for ``--plot``, a database that cannot be used.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from wfengine.cli.database import url_given
from wfengine.cli.loading import APPS_HINT, non_empty

if TYPE_CHECKING:
    from wfengine.simulation import Scenario

_SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")


@click.command(
    "simulate",
    short_help="What-if simulation: the real engine on a virtual clock.",
    epilog="""\b
Examples:
  wfengine simulate examples/crm_complaint/complaint.xpdl \\
      --scenario examples/crm_complaint/whatif.yaml --replications 5
  wfengine simulate examples/crm_complaint/complaint.xpdl \\
      --scenario examples/crm_complaint/whatif.yaml \\
      --compare examples/crm_complaint/whatif-three-coordinators.yaml --plot ab.png
  wfengine simulate examples/crm_complaint/complaint.xpdl \\
      --scenario examples/crm_complaint/whatif.yaml --instances 10000 --seed 7 --json""",
)
@click.argument("file", metavar="FILE.xpdl")
@click.option("--scenario", "scenario_file", required=True, metavar="SCENARIO.yaml",
              callback=non_empty("name the scenario file (YAML)"),
              help="Arrivals, durations, branches, people, calendars (YAML; `-` for "
              "stdin).")  # fmt: skip
@click.option("--instances", type=click.IntRange(min=0), metavar="N",
              help="How many cases arrive (default: the scenario's, else 100).")  # fmt: skip
@click.option("--seed", type=int, default=1, show_default=True, help="Seeds every random stream.")
@click.option("--replications", type=click.IntRange(min=1), default=1, show_default=True,
              metavar="R",
              help="Independent runs; figures get 95% confidence intervals.")  # fmt: skip
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, metavar="J",
              help="Run replications in J worker processes at once (same report).")  # fmt: skip
@click.option("--compare", "other", metavar="OTHER",
              callback=non_empty("name another definition (.xpdl) or scenario (.yaml)"),
              help="A second variant on the same arrivals and random streams: another "
              "definition (.xpdl), or another scenario (.yaml) on FILE.")  # fmt: skip
@click.option("--process", "process_id", metavar="ID", help="Process to run (default: the "
              "scenario's, else the first).")  # fmt: skip
@click.option("--apps", "apps_module", metavar="MODULE", callback=non_empty(APPS_HINT),
              help="Import MODULE and call its register(registry): those applications run "
              "for real; the others are the scenario's stand-ins.")  # fmt: skip
@click.option("--db", metavar="URL", callback=url_given,
              help="Run the first replication on this database and keep "
              "its trail (default: in memory).")  # fmt: skip
@click.option("--plot", metavar="OUT", callback=non_empty("name a .png or .svg file"),
              help="Draw waiting times and queues (.png or .svg).")  # fmt: skip
@click.option("--progress/--no-progress", default=None,
              help="A progress bar on stderr (default: when stderr is a terminal).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def simulate(
    file: str,
    scenario_file: str,
    instances: int | None,
    seed: int,
    replications: int,
    jobs: int,
    other: str | None,
    process_id: str | None,
    apps_module: str | None,
    db: str | None,
    plot: str | None,
    progress: bool | None,
    as_json: bool,
) -> None:
    """Run FILE's process on a virtual clock under a scenario and report the metrics of the
    simulated trail, resource utilisation and queues; with --compare, two variants side by
    side."""
    from wfengine.cli.database import refuse_in_memory
    from wfengine.cli.exit_status import NotInDefinition
    from wfengine.cli.json_output import dumps
    from wfengine.cli.loading import chosen_process, load_or_fail, refuse_unwritable, write_output
    from wfengine.simulation import Scenario, ScenarioError, VariantError
    from wfengine.simulation import compare as compare_variants
    from wfengine.simulation import simulate as run_simulation

    if plot is not None and Path(plot).suffix.lower() not in (".png", ".svg"):
        raise click.UsageError(f"--plot {plot!r}: name a .png or .svg file")
    if db is not None:  # the trail it keeps would be gone with the command (exit 2)
        refuse_in_memory(db)
    if [file, scenario_file, other].count("-") > 1:
        raise click.UsageError("only one of FILE, --scenario and --compare can be standard input")
    package = load_or_fail(file)
    try:
        scenario = _scenario(scenario_file)
    except ScenarioError as exc:
        raise NotInDefinition(str(exc)) from None
    variant_b: tuple[Any, Any] | None = None
    if other is not None:
        if Path(other).suffix.lower() in _SCENARIO_SUFFIXES:
            try:
                variant_b = (package, Scenario.load(other))
            except ScenarioError as exc:  # (as the second variant's other errors say)
                raise NotInDefinition(f"--compare {other}: {exc}") from None
        else:
            try:
                variant_b = (load_or_fail(other), scenario)
            except click.ClickException as exc:  # (its kind kept: exit 1, or 2 unreadable)
                raise type(exc)(f"--compare {other}: {exc.format_message()}") from None
    # an unknown --process is blamed on the option, not on the scenario's process key; a
    # file with no process at all on the file, not on a scenario that named none
    definitions = [(package, file)]
    if variant_b is not None and variant_b[0] is not package and other is not None:
        definitions.append((variant_b[0], other))  # (--compare OTHER.xpdl)
    for definition, source in definitions:
        if process_id is not None or scenario.process is None:
            chosen_process(definition, process_id, source)
    registry = None
    if apps_module is not None:
        from wfengine.cli.apps import load_apps

        registry = load_apps(apps_module)
    per_replication = instances if instances is not None else scenario.instances
    total = per_replication * replications
    variants = 1 if variant_b is None else 2
    show = sys.stderr.isatty() if progress is None else progress
    options: dict[str, Any] = {
        "process_id": process_id,
        "instances": instances,
        "seed": seed,
        "replications": replications,
        "jobs": jobs,
        "applications": registry,
        "db_url": db,
    }
    from wfengine.cli.database import engine_errors, open_engine

    if db is not None:
        open_engine(db).close()  # a database that cannot be used: exit 2 before any work

    if plot is not None:
        # a plot file that may not be written (a SQLite database, a folder that cannot be
        # written) is refused before the simulation, not after it; the picture is written
        # beside it and renamed over it at the end (cli.loading.output_file), so an
        # interrupted run leaves what was there
        refuse_unwritable(plot)
    with contextlib.ExitStack() as stack:
        if show:
            bar = stack.enter_context(
                click.progressbar(length=total * variants, label="simulating", file=sys.stderr)
            )
            options["progress"] = _ticker(bar, per_replication)
        with engine_errors():
            try:
                if variant_b is None:
                    report: Any = run_simulation(package, scenario, **options)
                    reports = [report]
                else:
                    report = compare_variants((package, scenario), variant_b, **options)
                    reports = [report.a, report.b]
            except VariantError as exc:  # (both are read before either runs)
                raise NotInDefinition(f"--compare {other}: {exc.reason}") from None
            except ScenarioError as exc:
                raise NotInDefinition(str(exc)) from None
    if plot is not None:
        write_output(plot, _picture(reports, plot))
    click.echo(dumps(report.as_dict()) if as_json else report.text())


def _picture(reports: list[Any], plot: str) -> bytes:
    """The ``--plot`` picture of ``reports``, in the format of ``plot``'s suffix; a missing
    matplotlib exits 2 saying how to install it."""
    from wfengine.audit.plots import PlottingUnavailable
    from wfengine.cli.exit_status import InputOutputError
    from wfengine.simulation.plots import simulation_plot

    try:
        return simulation_plot(reports, Path(plot).suffix.lower().removeprefix("."))
    except PlottingUnavailable as exc:
        raise InputOutputError(str(exc)) from exc


def _ticker(bar: Any, per_replication: int) -> Any:
    """A progress callback moving ``bar`` by the cases that arrived since the last call (a
    second variant counts on from where the first ended)."""
    state = {"base": 0, "last": 0, "shown": 0}

    def tick(replication: int, arrived: int) -> None:
        here = replication * per_replication + arrived
        if here < state["last"]:  # the next variant began
            state["base"] += state["last"]
        state["last"] = here
        total = state["base"] + here
        if total > state["shown"]:
            bar.update(total - state["shown"])
            state["shown"] = total

    return tick


def _scenario(source: str) -> Scenario:
    """The scenario ``source`` names: a file, or ``-``, standard input (read no further than
    a scenario file is; the files it names are read from the current directory). Why: every
    other file argument takes ``-``, and ``--scenario -`` was read as a file named ``-``
    ("No such file or directory")."""
    from wfengine.simulation import Scenario

    if source != "-":
        return Scenario.load(source)
    from wfengine.cli.loading import STDIN_NAME, read_input
    from wfengine.simulation.scenario import MAX_SCENARIO_BYTES
    from wfengine.simulation.scenario_text import scenario_from_bytes

    data = read_input(source, "--scenario", max_bytes=MAX_SCENARIO_BYTES)
    return scenario_from_bytes(data, STDIN_NAME, Path.cwd())
