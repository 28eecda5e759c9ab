"""``wfengine run``: run one instance of a process to the end, answering its manual work.

The contract scripts rely on (keep it exactly):

* The instance is created with data from ``--set`` (checked against the process's data fields
  and formal parameters and converted to their types, :mod:`wfengine.cli.declared_data`;
  ``--allow-undeclared`` lets other names through) and started; then the runner
  (:mod:`wfengine.cli.runner`) carries out all automatic work and completes every manual
  activity itself, one work item at a time in the order the items were created and only after
  all automatic work that can run has run, the n-th completion of an activity merging the n-th
  object of ``ANSWERS.json`` (``{"ActivityId": [{"var": value}, ...]}``, :mod:`wfengine.cli.
  answers`; no entry: no change). Subflow instances are driven the same way.
* ``--apps MODULE`` imports MODULE and calls its ``register(registry)`` before anything runs
  (:mod:`wfengine.cli.apps`). Its ``subscribe(outbox)``, if it has one, subscribes outbox
  handlers: when the run ends, they are given the outbox entries due (instance state changes,
  work items offered and completed, incidents; :mod:`wfengine.runtime.outbox`), in memory the
  run's own, with ``--db`` every entry due in the database, as a worker would. A delivery that
  fails is logged; with ``--db`` workers retry it. Without handlers nothing is delivered (with
  ``--db`` the entries wait for workers). ``--unbound stub`` (the default) stands in for every
  application that neither it nor an enabled agent binds (:mod:`wfengine.cli.stub_apps`) and
  names each one called on stderr; ``--unbound incident`` lets such a call stop the activity
  with an incident.
* A decision the definition leaves to people (a label where a condition belongs) is answered
  by taking its first way (``--decisions first``, the default; ``--decisions incident`` leaves
  the incident open) and named on stderr.
* A manual loop the runner can never leave (:mod:`wfengine.runtime.repeat_guard`) stops the run,
  leaving the instance open, with a message on stderr; so does the last guard,
  :data:`~wfengine.cli.runner.MAX_COMPLETIONS` completions.
* ``--json`` prints one object: ``{"instance_id", "process_id", "state", "trace", "data",
  "incidents", "waiting", "stubbed", "stopped", "decided"}``. ``incidents`` has the fields of
  ``wfengine incidents --json``; ``waiting`` lists ``{"kind", "id", "instance_id",
  "activity_id", "due"}`` (:func:`~wfengine.cli.runner.waiting_rows`); ``stubbed`` lists
  ``{"application_id", "calls"}`` with the inputs of each call; ``stopped`` is why the runner
  stopped early, or null; ``decided`` lists the label decisions it answered,
  ``{"instance_id", "activity_id", "take", "ways"}``. Every key is always there (empty lists
  when the instance completed).
* Exit status: 0 when the instance ended ``closed.completed``; 3 when it is still open and
  waiting (an incident, a timer, a loop the runner stopped); 1 when FILE cannot be loaded as
  XPDL, the engine refused the run (FILE's process refused by its validation errors, or not
  valid now by its ``ValidFrom``/``ValidTo``: with ``--db`` no earlier stored version starts
  in its place, :func:`~wfengine.cli.runner.file_version`), or the instance ended terminated
  or aborted; 2 for usage
  errors (an unknown ``--process``, a ``--set``, ``--answers`` or ``--script`` step that
  does not fit: a step naming an activity no process of FILE has, or a message none
  catches, is refused before anything runs), files
  that cannot be read, and an ``--apps`` module or ``--db`` database that cannot be used.

``--db URL`` keeps the instance, its audit trail and anything it left waiting in that database
(where ``wfengine instance show``, ``incidents`` and ``worker`` find it); the run still does
all the work itself, and only completes the work items of its own instance and its subflows.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import click

from wfengine.cli.assignments import allow_undeclared_option, set_option, split_assignments
from wfengine.cli.database import url_given
from wfengine.cli.loading import APPS_HINT, non_empty

if TYPE_CHECKING:
    from wfengine.cli.runner import RunOutcome
    from wfengine.cli.script_steps import Step
    from wfengine.cli.stub_apps import StubbedApplications
    from wfengine.definition.model import Package, WorkflowProcess
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.snapshots import InstanceSnapshot

EXIT_COMPLETED = 0
EXIT_ERROR = 1
EXIT_WAITING = 3


@click.command(
    "run",
    short_help="Run one process instance, answering manual work from a file.",
    epilog="""\b
Examples:
  wfengine run examples/leave_request.xpdl --set employee_name=Ada --set days=3 --json
  echo '{"approve": [{"approved": true}]}' |
    wfengine run examples/leave_request.xpdl --set days=10 --answers -
  wfengine run examples/order_fulfilment.xpdl --process fulfil_order --unbound incident
  wfengine run examples/order_fulfilment.xpdl --apps myapps   # myapps.register(registry)""",
)
@click.argument("file", metavar="FILE.xpdl")
@click.option("--process", "process_id", metavar="ID", help="Process to run (default: the first).")
@set_option("Initial data.", typed=True)
@allow_undeclared_option
@click.option(
    "--answers",
    metavar="ANSWERS.json",
    help='Data for manual activities: {"ActivityId": [{"var": value}, ...]}; `-` for stdin.',
)
@click.option(
    "--db",
    metavar="URL",
    callback=url_given,
    help="Persist the instance in this database (SQLAlchemy URL: sqlite:///wf.db, "
    "postgresql+psycopg://...); default: in memory, gone when the run ends.",
)
@click.option(
    "--apps",
    "apps_module",
    metavar="MODULE",
    callback=non_empty(APPS_HINT),
    help="Import MODULE (dotted name or .py file) and call its register(registry) to bind "
    "applications and its subscribe(outbox), if any, to subscribe outbox handlers "
    "(outbox.subscribe(handler, kinds=[...])), which are given the run's outbox entries when "
    "it ends. Installed plug-ins (entry-point group wfengine.applications) are bound first; "
    "MODULE's bindings replace theirs.",
)
@click.option(
    "--unbound",
    type=click.Choice(["stub", "incident"]),
    default="stub",
    show_default=True,
    help="What a call of an application nothing binds does: a stub that records it and "
    "returns no outputs, or an incident.",
)
@click.option(
    "--decisions",
    type=click.Choice(["first", "incident"]),
    default="first",
    show_default=True,
    help="What a decision the definition leaves to people (a label where a condition "
    "belongs) does: take its first way, or stay an open incident.",
)
@click.option(
    "--script",
    "script_file",
    metavar="STEPS.json",
    help='Steps to take before the manual work: [{"complete": "ACT", "set": {...}}, '
    '{"message": "NAME", "set": {...}}, {"signal": "NAME", "set": {...}}, '
    '{"advance": "PT1H"}, {"cancel": "ACT"}, {"add_instance": "ACT", "set": {...}}, '
    '{"terminate": true}]; `-` for stdin. The run then uses a virtual clock, starting at '
    "the current time.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a trace.")
def run(
    file: str,
    process_id: str | None,
    assignments: tuple[str, ...],
    allow_undeclared: bool,
    answers: str | None,
    db: str | None,
    apps_module: str | None,
    unbound: str,
    decisions: str,
    script_file: str | None,
    as_json: bool,
) -> None:
    """Create and start one instance of a process and drive it as far as it can go.

    Exit status: 0 when the instance ended closed.completed, 3 when it is still open and
    waiting (or the runner stopped a manual loop), 1 when FILE cannot be loaded or the
    instance ended otherwise, 2 on usage errors and files that cannot be read.
    """
    from datetime import UTC, datetime

    from wfengine.cli.answers import read_answers
    from wfengine.cli.database import engine_errors
    from wfengine.cli.declared_data import checked_answers, declared_values
    from wfengine.cli.loading import chosen_process, load_or_fail
    from wfengine.cli.runner import drive
    from wfengine.cli.script_steps import check_moves, read_steps
    from wfengine.cli.stub_apps import RunRegistry
    from wfengine.runtime.clock import VirtualClock
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.states import ProcessState

    if db is not None:  # what it persists would be gone with the command (exit 2)
        from wfengine.cli.database import refuse_in_memory

        refuse_in_memory(db)
    raw = split_assignments(assignments)
    if [file, answers, script_file].count("-") > 1:
        raise click.UsageError("only one of FILE, --answers and --script can be standard input")
    script_answers = read_answers(answers)
    steps = [] if script_file is None else read_steps(script_file)
    package = load_or_fail(file)
    process = chosen_process(package, process_id, file)
    data = declared_values(raw, package, process, allow_undeclared=allow_undeclared)
    script_answers = checked_answers(script_answers, package, allow_undeclared=allow_undeclared)
    steps = [_checked_step(s, package, process, allow_undeclared) for s in steps]
    from wfengine.cli.apps import bind_plugins
    from wfengine.runtime.outbox import OutboxHandlers

    registry = RunRegistry()
    bind_plugins(registry)
    outbox = OutboxHandlers()
    if apps_module is not None:
        from wfengine.cli.apps import load_apps

        load_apps(apps_module, registry, outbox)
    stubs = registry.stub_unbound() if unbound == "stub" else None
    # steps may move the clock on: a run with steps keeps its own, virtual one, starting
    # now: FILE's ValidFrom/ValidTo are judged at the real time as without steps (a clock
    # at 2000-01-01 refused a process valid from 2020 and ran one ended in 2010), and what
    # is stored is not dated in the year 2000 (nor are its timers decades overdue)
    clock = None
    if script_file is not None:
        clock = VirtualClock(datetime.now(UTC))
        check_moves(steps, clock.now(), script_file)
    if db is None:
        engine = Engine(applications=registry, clock=clock)
    else:
        from wfengine.cli.database import open_engine

        # exit 2 when unusable
        engine = open_engine(db, applications=registry, defer=False, clock=clock)
    try:
        with engine_errors():
            outcome = drive(
                engine,
                package,
                process.id,
                data,
                script_answers,
                decide_labels=decisions == "first",
                steps=steps,
            )
            snap = engine.instance(outcome.instance_id)
            if outbox.subscribed():
                engine.outbox.handlers = outbox
                engine.deliver_outbox()
                if db is None:
                    _say_undelivered(engine)
    finally:
        engine.close()
    stubbed = _stubbed(stubs)
    if as_json:
        _print_json(snap, outcome, stubbed)
    else:
        _print_text(snap, outcome)
    for row in stubbed:
        click.echo(
            f"wfengine run: application {row['application_id']} is not bound; the run stubbed "
            f"its {len(row['calls'])} call(s): bind it with --apps MODULE",
            err=True,
        )
    for row in outcome.decided:
        click.echo(
            f"wfengine run: decision {row['activity_id']} is left to people (a label or an "
            f"empty condition); the run took {row['take']} of {', '.join(row['ways'])}",
            err=True,
        )
    for activity_id, left in outcome.unused.items():
        click.echo(
            f"wfengine run: --answers: {left} answer(s) for activity {activity_id!r} were not "
            "used: it was not completed that many times",
            err=True,
        )
    if outcome.stopped is not None:
        click.echo(f"wfengine run: stopped: {outcome.stopped}", err=True)
    if snap.state is ProcessState.COMPLETED:
        raise SystemExit(EXIT_COMPLETED)
    if snap.state.is_open:
        raise SystemExit(EXIT_WAITING)
    click.echo(f"the instance ended {snap.state.value}", err=True)
    raise SystemExit(EXIT_ERROR)


def _stubbed(stubs: StubbedApplications | None) -> list[dict[str, Any]]:
    if stubs is None:
        return []
    return [{"application_id": app_id, "calls": calls} for app_id, calls in stubs.called()]


def _say_undelivered(engine: Engine) -> None:
    """In memory nothing retries a delivery that failed: the log's "next attempt at" would
    never come, so the run says how many entries its handlers did not take."""
    from wfengine.runtime.outbox import OutboxStatus

    left = (OutboxStatus.PENDING, OutboxStatus.FAILED)
    failed = [e for e in engine.outbox.entries() if e.attempts and e.status in left]
    if failed:
        click.echo(
            f"wfengine run: {len(failed)} outbox entr{'y was' if len(failed) == 1 else 'ies were'}"
            " not delivered (their handlers failed, as logged above) and an in-memory run ends "
            "without retrying them: run with --db and let a worker retry them",
            err=True,
        )


def _print_json(snap: InstanceSnapshot, outcome: RunOutcome, stubbed: list[dict[str, Any]]) -> None:
    from wfengine.cli.json_output import dumps, incident_row

    click.echo(
        dumps(
            {
                "instance_id": snap.id,
                "process_id": snap.process_id,
                "state": snap.state.value,
                "trace": outcome.trace,
                "data": snap.data,
                "incidents": [incident_row(i) for i in outcome.incidents],
                "waiting": outcome.waiting,
                "stubbed": stubbed,
                "stopped": outcome.stopped,
                "decided": outcome.decided,
            }
        )
    )


def _print_text(snap: InstanceSnapshot, outcome: RunOutcome) -> None:
    """The run as people and scripts read it, a line per step. What comes from the
    definition or the run (ids, an incident's message, field names) passes through
    :func:`~wfengine.one_line.one_line`: an activity Id holding a line break (``&#10;``)
    would start a trace line of its own choosing."""
    from wfengine.json_text import value_text
    from wfengine.one_line import one_line as o

    click.echo(f"instance {o(snap.id)} of process {o(snap.process_id)} (version {snap.version})")
    for step, activity_id in enumerate(outcome.trace, 1):
        click.echo(f"  {step:>4}. {o(activity_id)}")
    click.echo(f"state: {snap.state.value}")
    for incident in outcome.incidents:
        click.echo(f"incident {o(incident.id)}: {o(incident.message)}")
    for name, value in snap.data.items():
        click.echo(f"  {o(name)} = {value_text(value)}")
    for row in outcome.waiting:
        where = f" activity {o(row['activity_id'])}" if row["activity_id"] else ""
        due = f" due {row['due']}" if row["due"] else ""
        instance = o(row["instance_id"])
        click.echo(f"waiting: {row['kind']} {o(row['id'])}{where} of instance {instance}{due}")


def _checked_step(
    step: Step, package: Package, process: WorkflowProcess, allow_undeclared: bool
) -> Step:
    """``step`` checked before anything runs, as ``--answers`` is: an activity it names
    (``complete``, ``cancel``, ``add_instance``) must be one some process of the file has (a
    subflow's too), a message one some process of the file catches; else the step could never
    be taken, and the run would start, store its instance and leave it open before failing on
    it (exit 1), as a typo in ``--answers`` does not (exit 2, naming it). Its ``set`` is
    checked as ``--set`` is: against the process of the activity it names (perhaps a
    subflow's); for a ``message`` or ``signal``, against every process of the run
    (:func:`~wfengine.cli.run_tree.run_processes`) that can take it (the runner delivers a
    message to whichever instance of the tree catches it:
    :func:`~wfengine.cli.runner.message_target`;
    :mod:`wfengine.cli.event_data`); else against the run's process. A message only a
    process the run never starts catches is refused too: the run failed on it (exit 1),
    advising to send it after its subflow starts, which never happens. (A signal nothing
    catches is lost, as documented: not refused.)"""
    from wfengine.cli.declared_data import declared_json, process_of_activity
    from wfengine.cli.event_data import Taking, event_json, package_takers
    from wfengine.cli.run_tree import run_processes

    owner = None
    if step.action in ("complete", "cancel", "add_instance") and isinstance(step.target, str):
        owner = process_of_activity(package, step.target)
        if owner is None:
            raise click.BadParameter(
                f"{step}: {step.target!r} is no activity of the file's processes, so the "
                "step could never be taken",
                param_hint="--script",
            )
    takers = None
    if step.action in ("message", "signal") and isinstance(step.target, str):
        taking: Taking = "message" if step.action == "message" else "signal"
        if taking == "message" or step.data:
            everywhere = package_takers(package, taking, step.target)
            run = run_processes(package, process)
            takers = [t for t in everywhere if t.definition.id in run]
        if taking == "message" and not takers:
            elsewhere = ", ".join(repr(t.definition.id) for t in everywhere)
            why = (
                f"process {elsewhere} catches message {step.target!r}, but a run of "
                f"{process.id!r} never starts it (it is no subflow of the run's process, "
                "nor of its subflows), so no instance of the run could take it"
                if elsewhere
                else _start_message(package, process, step.target)
            )
            raise click.BadParameter(
                f"{step}: {why}",
                param_hint="--script",
            )
    if not step.data:
        return step
    data = None
    if takers is not None:
        data = event_json(takers, step.data, str(step), allow_undeclared=allow_undeclared)
    if data is None:
        data = declared_json(
            step.data,
            package,
            owner or process,
            allow_undeclared=allow_undeclared,
            option="--script",
            where=str(step),
        )
    return dataclasses.replace(step, data=data)


def _start_message(package: Package, process: WorkflowProcess, name: str) -> str:
    """Why a script's message step naming ``name``, which no catch of the run takes, could
    never be taken: a Message start event's message (a run starts its instance itself, and
    its data is the run's --set), else one no process of the file catches."""
    from wfengine.cli.event_data import package_takers

    starts = [t.definition.id for t in package_takers(package, "start", name)]
    if process.id in starts:
        return (
            f"message {name!r} is the start message of process {process.id!r}, which the "
            "run starts itself, so no instance of the run waits for it: give the data the "
            "message carries with --set (wfengine run FILE --set NAME=VALUE)"
        )
    if starts:
        return (
            f"message {name!r} is the start message of process "
            f"{', '.join(repr(s) for s in starts)}, which a run of {process.id!r} never "
            f"starts: run that process (--process {starts[0]}), which the run starts itself, "
            "and give the data the message carries with --set"
        )
    return (
        f"no process of the file catches message {name!r}, so no instance of the run could take it"
    )
