"""``wfengine run``: run one instance of a process to the end, answering its manual work.

The contract scripts rely on (keep it exactly): the instance is created with data from
``--set`` (JSON when it parses, else a string) and started; automatic work runs; every manual
activity is completed by the runner itself, one work item at a time in the order the items were
created and only after all automatic work that can run has run, the n-th completion of an
activity merging the n-th dict of ``ANSWERS.json`` (``{"ActivityId": [{"var": value}, ...]}``;
no entry: no change). Calls of asynchronous applications are automatic work: the runner carries
them out (waiting out their retry backoff) before it looks for manual work. Subflow instances
are driven the same way. ``--apps MODULE`` imports MODULE and calls its ``register(registry)``
before anything runs (see :mod:`wfengine.cli.apps`). Exit status: 0 when the instance ended
``closed.completed``, 3 when it is still open and waiting (an incident, a timer, or the step
limit), 1 on errors, 2 when the ``--apps`` module or the ``--db`` database cannot be used.

``--db URL`` keeps the instance, its audit trail and anything it left waiting in that database
(where ``wfengine instance show``, ``incidents`` and ``worker`` find it); the run still does
all the work itself, and only completes the work items of its own instance and its subflows.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from wfengine.cli.assignments import parse_assignments, set_option
from wfengine.cli.database import engine_errors

if TYPE_CHECKING:
    from wfengine.definition.model import Package
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.snapshots import IncidentSnapshot

EXIT_COMPLETED = 0
EXIT_ERROR = 1
EXIT_WAITING = 3
#: work items the runner completes at most, so a manual activity in an endless loop ends
MAX_COMPLETIONS = 100_000


def _answers(path: str | None) -> dict[str, list[dict[str, Any]]]:
    if path is None:
        return {}
    try:
        loaded = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise _Failure(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise _Failure(f"{path} is not JSON: {exc}") from None
    ok = isinstance(loaded, dict) and all(
        isinstance(v, list) and all(isinstance(d, dict) for d in v) for v in loaded.values()
    )
    if not ok:
        raise _Failure(f'{path}: expected {{"ActivityId": [{{"var": value}}, ...], ...}}')
    answers: dict[str, list[dict[str, Any]]] = loaded
    return answers


class _Failure(click.ClickException):
    exit_code = EXIT_ERROR


def _drive(
    engine: Engine,
    package: Package,
    process_id: str,
    data: dict[str, Any],
    answers: dict[str, list[dict[str, Any]]],
) -> tuple[str, list[str], list[IncidentSnapshot]]:
    """Start the instance and answer its manual work (and its subflows') until none is left;
    returns its id, its trace and the open incidents of its tree."""
    engine.deploy(package)
    instance_id = engine.start_process(process_id, data)
    tree = _Tree(engine, instance_id)
    used: dict[str, int] = defaultdict(int)
    for _ in range(MAX_COMPLETIONS):
        _run_calls(engine, tree)
        items = [w for w in engine.work_items() if tree.contains(w.instance_id)]
        if not items:
            break
        item = items[0]
        n = used[item.activity_id]
        used[item.activity_id] = n + 1
        given = answers.get(item.activity_id, [])
        engine.complete_work_item(item.id, given[n] if n < len(given) else None)
    incidents = [i for i in engine.incidents() if tree.contains(i.instance_id)]
    return instance_id, engine.trace(instance_id), incidents


def _run_calls(engine: Engine, tree: _Tree) -> None:
    """Carry out the run's asynchronous application calls (``invoke`` jobs), waiting out
    their retry backoff, until none of its instances has one left: they are automatic work
    that can run. Deadline timers are not waited for. With ``--db`` this may also carry out
    due calls of other instances in the database (harmlessly: a job's effect happens once)."""
    from wfengine.runtime.jobs import JOB_INVOKE
    from wfengine.runtime.states import ProcessState

    while True:
        if engine.run_due_jobs(kinds=(JOB_INVOKE,)):
            continue
        pending = [
            j.due
            for j in engine.jobs()
            if j.kind == JOB_INVOKE
            and tree.contains(j.instance_id)
            and engine.instance(j.instance_id).state is ProcessState.RUNNING
        ]
        if not pending:
            return
        wait = (min(pending) - engine.clock.now()).total_seconds()
        time.sleep(min(max(wait, 0.01), 60.0))


class _Tree:
    """The run's instance and its subflow instances: a database holds other instances too,
    whose work items and incidents are not this run's business."""

    def __init__(self, engine: Engine, root: str) -> None:
        self.engine = engine
        self.known = {root: True}

    def contains(self, instance_id: str) -> bool:
        found = self.known.get(instance_id)
        if found is None:
            parent = self.engine.instance(instance_id).parent_instance_id
            found = parent is not None and self.contains(parent)
            self.known[instance_id] = found
        return found


@click.command(
    "run",
    short_help="Run one process instance, answering manual work from a file.",
    epilog="""\b
Examples:
  wfengine run complaint.xpdl --set amount=250 --answers answers.json
  wfengine run order.xpdl --process Fulfil --json
  wfengine run order.xpdl --apps myapps   # myapps.register(registry) binds applications""",
)
@click.argument("file", metavar="FILE.xpdl")
@click.option("--process", "process_id", metavar="ID", help="Process to run (default: the first).")
@set_option("Initial data.")
@click.option(
    "--answers",
    metavar="ANSWERS.json",
    help='Data for manual activities: {"ActivityId": [{"var": value}, ...]}.',
)
@click.option(
    "--db",
    metavar="URL",
    help="Persist the instance in this database (SQLAlchemy URL: sqlite:///wf.db, "
    "postgresql+psycopg://...); default: in memory, gone when the run ends.",
)
@click.option(
    "--apps",
    "apps_module",
    metavar="MODULE",
    help="Import MODULE (dotted name or .py file) and call its register(registry) to bind "
    "applications.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a trace.")
def run(
    file: str,
    process_id: str | None,
    assignments: tuple[str, ...],
    answers: str | None,
    db: str | None,
    apps_module: str | None,
    as_json: bool,
) -> None:
    """Create and start one instance of a process and drive it as far as it can go.

    Exit status: 0 when the instance ended closed.completed, 3 when it is still open and
    waiting, 1 on errors.
    """
    from wfengine.cli.exit_status import InputOutputError
    from wfengine.cli.loading import load_or_fail
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.states import ProcessState

    data = parse_assignments(assignments)
    script_answers = _answers(answers)
    try:
        package = load_or_fail(file)
    except InputOutputError as exc:
        raise _Failure(exc.message) from None
    try:
        process = package.process(process_id)
    except KeyError as exc:
        raise _Failure(str(exc.args[0])) from None
    registry = None
    if apps_module is not None:
        from wfengine.cli.apps import load_apps

        registry = load_apps(apps_module)
    if db is None:
        engine = Engine(applications=registry)
    else:
        from wfengine.cli.database import open_engine

        engine = open_engine(db, applications=registry, defer=False)  # exit 2 when unusable
    try:
        with engine_errors():
            instance_id, trace, incidents = _drive(
                engine, package, process.id, data, script_answers
            )
            snap = engine.instance(instance_id)
    finally:
        engine.close()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "instance_id": snap.id,
                    "process_id": snap.process_id,
                    "state": snap.state.value,
                    "trace": trace,
                    "data": snap.data,
                },
                default=str,
            )
        )
    else:
        click.echo(f"instance {snap.id} of process {snap.process_id} (version {snap.version})")
        for step, activity_id in enumerate(trace, 1):
            click.echo(f"  {step:>4}. {activity_id}")
        click.echo(f"state: {snap.state.value}")
        for incident in incidents:
            click.echo(f"incident {incident.id}: {incident.message}")
        for name, value in snap.data.items():
            click.echo(f"  {name} = {value!r}")
    if snap.state is ProcessState.COMPLETED:
        raise SystemExit(EXIT_COMPLETED)
    if snap.state.is_open:
        raise SystemExit(EXIT_WAITING)
    click.echo(f"the instance ended {snap.state.value}", err=True)
    raise SystemExit(EXIT_ERROR)
