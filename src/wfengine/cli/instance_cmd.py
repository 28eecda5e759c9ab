"""``wfengine instances`` and ``wfengine instance ...``: process instances in a database.

The contract scripts rely on (keep it exactly):

* ``wfengine instance start FILE --db URL [--process ID] [--count N] [--set NAME=VALUE]...
  [--allow-undeclared]`` deploys FILE (an unchanged process keeps its version), creates and
  starts N instances (1 to :data:`MAX_COUNT`) of the process (default: the package's first)
  with the given data, checked and converted as for ``wfengine run``
  (:mod:`wfengine.cli.declared_data`), and prints their ids, one per line, in creation order.
  They run the version FILE holds, the one the data was checked against: FILE's process
  refused by the engine (its validation errors) or not valid now (its ``ValidFrom``/
  ``ValidTo``) starts nothing, exit 1, even when an earlier stored version could start
  (:func:`~wfengine.cli.runner.file_version`). Their automatic work is left to
  ``wfengine worker``. Each instance commits on its own: a failure (or Ctrl-C) after the
  first keeps its exit status and says ``K of N instances were started (their ids were
  printed); start the remaining N-K (--count N-K)``, then what stopped the next one.
  Ctrl-C lets the start under way finish and print its id first, so K counts every instance
  stored (pressed during the last one, all N were started: exit 0); pressed a second time,
  it stops that start midway and says it may have been stored without its id printed.
* ``wfengine instances --db URL [--state S] [--process P] [--json]``: the instances in creation
  order; ``--json`` prints a list of ``{"id", "process_id", "state", "version"}`` (the
  process version the instance runs, an integer). A row the database
  holds but that cannot be read as an instance (tampered with, or written by something else)
  is left out with a message on stderr naming it; the others are still listed. A ``--process``
  never deployed there exits 1 naming those deployed (not an empty listing).
* ``wfengine instance show ID --db URL [--json]``: ``--json`` prints ``{"id", "process_id",
  "state", "data", "activities": [{"activity_id", "state", "started_at", "completed_at"},
  ...], "version", "kept_messages": [{"name", "data", "kept_at"}, ...]}`` with one entry per
  activity instance, in the order they were created; times are ISO 8601 text, or null;
  ``version`` is the process version the instance runs; ``kept_messages`` the messages sent
  to it that no catch event has taken yet, oldest first (``InstanceSnapshot.messages``).
  An activity row whose time cannot be read (edited by hand) is left out with a message on
  stderr naming its id.
* ``wfengine instance suspend|resume|terminate|abort ID --db URL [--user U]`` changes the
  instance's state and prints ``ID STATE``.
* ``wfengine instance cancel ID --activity ACT --db URL [--user U]`` cancels the open
  instances of activity ACT (``Engine.cancel_activity``: closed as aborted, work withdrawn,
  the branch ends) and prints ``ID STATE`` (the instance's state afterwards); none open
  exits 1, as does an ACT the instance's process does not have (the message says so).
* ``wfengine instance set ID NAME=VALUE... --db URL [--allow-undeclared] [--user U]`` writes
  instance data (``Engine.set_data``: audited as ``instance.data``, a sensitive
  field's values redacted), NAME and VALUE read as ``instance start --set`` reads them, by
  the declarations of the process version the instance runs, and prints ``ID STATE`` (the
  instance's state afterwards). A closed instance exits 1, as does an unknown id; a NAME
  the process does not declare (without ``--allow-undeclared``) or a VALUE its type does
  not take is a usage error, exit 2, naming it, and nothing is written. It is how an
  operator fixes the data an incident stopped on before ``wfengine incident retry``.
* ``--user U`` names who asks on what the command records in the audit trail (the engine
  command's ``user=``; :mod:`wfengine.cli.acting_user`); without it nobody is named.

Exit statuses are those of :mod:`wfengine.cli.database`: 1 for an unknown id or an illegal
state change (the message on stderr names the instance and its state), 2 for a database that
cannot be used. States are WfMC's: ``open.not_running.not_started``, ``open.running``,
``open.not_running.suspended``, ``closed.completed``, ``closed.terminated``,
``closed.aborted``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from wfengine.cli.acting_user import acting_user_option
from wfengine.cli.assignments import allow_undeclared_option, set_option, split_assignments
from wfengine.cli.database import db_option, engine_errors, engine_on
from wfengine.cli.held_interrupts import HeldInterrupts, interrupts_held
from wfengine.cli.json_output import dumps, iso
from wfengine.cli.option_types import STORED_TEXT
from wfengine.cli.paging import after_option, limit_option
from wfengine.cli.stderr_log import logging_to_stderr
from wfengine.json_text import value_text
from wfengine.one_line import one_line as o
from wfengine.runtime.states import ProcessState

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine

#: what ``--state`` takes: each state's WfMC name, then its last word (``running``), which the
#: engine's listing reads as the name (:func:`~wfengine.runtime.queries.state_or_last_word`)
_STATES = tuple(s.value for s in ProcessState)
_STATE_WORDS = (*_STATES, *(name.rsplit(".", 1)[-1] for name in _STATES))
#: instances one ``instance start`` creates at most: each is its own transaction, so ten
#: thousand already take a while on SQLite; a script wanting more runs the command again
MAX_COUNT = 10_000


@click.command(
    "instances",
    short_help="List process instances in a database.",
    epilog="""\b
Examples:
  wfengine instances --db sqlite:///wf.db
  wfengine instances --db sqlite:///wf.db --state open.running --json
  wfengine instances --db sqlite:///wf.db --limit 100 --after pi-1200""",
)
@db_option
@click.option(
    "--state",
    type=click.Choice(_STATE_WORDS),
    help="Only instances in this state (its WfMC name, or its last word: running).",
)
@click.option(
    "--process",
    "process_id",
    metavar="ID",
    type=STORED_TEXT,
    help="Only instances of this process.",
)
@limit_option
@after_option("instance")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='A list of {"id", "process_id", "state", "version", "parent_instance_id"}.',
)
def instances(
    url: str,
    state: str | None,
    process_id: str | None,
    limit: int | None,
    after: str | None,
    as_json: bool,
) -> None:
    """List the process instances of a database, oldest first.

    --limit and --after page through a large database: each page is read from an index in
    listing order, however many instances there are. A row that cannot be read as an
    instance is skipped with a message on stderr. An unknown --after ID exits 1.
    """
    # the store reports rows it skips on the wfengine.store logger
    skipped_rows = logging_to_stderr("warning", "wfengine instances: %(message)s", "wfengine.store")
    from wfengine.runtime.queries import refuse_unknown_filters

    with skipped_rows, engine_on(url) as engine:
        refuse_unknown_filters(engine.store, process_id)  # a misspelt --process: exit 1
        found = engine.instance_summaries(
            state=state, process_id=process_id, limit=limit, after=after
        )
    if as_json:
        rows = [
            {
                "id": i.id,
                "process_id": i.process_id,
                "state": i.state.value,
                "version": i.version,
                # (a subflow's caller, as status names it; None: started on its own)
                "parent_instance_id": i.parent_instance_id,
            }
            for i in found
        ]
        click.echo(dumps(rows))
        return

    # the text keeps its three columns, one line per instance: scripts cut them; an id
    # holding a tab or a line break (a process Id written with &#10;, which deploys with a
    # warning) is shown escaped, as status and instance show do, not as a forged row
    for i in found:
        click.echo(f"{o(i.id)}\t{o(i.process_id)}\t{i.state.value}")


@click.group(
    "instance",
    epilog="""\b
Examples:
  wfengine instance start examples/order_fulfilment.xpdl --db sqlite:///wf.db --count 10
  wfengine instance show pi-1 --db sqlite:///wf.db --json
  wfengine instance suspend pi-1 --db sqlite:///wf.db""",
)
def instance() -> None:
    """Start, inspect and control process instances in a database."""


@instance.command(
    "start",
    epilog="""\b
Examples:
  wfengine instance start examples/order_fulfilment.xpdl --db sqlite:///wf.db --set amount=250
  wfengine instance start examples/leave_request.xpdl --db sqlite:///wf.db --count 100
  wfengine instance start examples/leave_request.xpdl --db sqlite:///wf.db --set days=3""",
)
@click.argument("file", metavar="FILE.xpdl")
@db_option
@click.option(
    "--process", "process_id", metavar="ID", help="Process to start (default: the first)."
)
@click.option(
    "--count",
    type=click.IntRange(min=1, max=MAX_COUNT),
    default=1,
    show_default=True,
    help=f"How many instances (1 to {MAX_COUNT:,}).",
)
@set_option("Initial data of every instance.", typed=True)
@allow_undeclared_option
def start(
    file: str,
    url: str,
    process_id: str | None,
    count: int,
    assignments: tuple[str, ...],
    allow_undeclared: bool,
) -> None:
    """Deploy FILE and start instances of one of its processes; print their ids.

    The instances are committed as running with their automatic work queued: run `wfengine
    worker --db URL` to carry it out.
    """
    from wfengine.cli.declared_data import declared_values
    from wfengine.cli.loading import chosen_process, load_or_fail
    from wfengine.cli.runner import file_version

    raw = split_assignments(assignments)
    package = load_or_fail(file)
    process = chosen_process(package, process_id, file)
    data = declared_values(raw, package, process, allow_undeclared=allow_undeclared)
    with engine_on(url, create=True) as engine:
        deployed = engine.deploy(package, check_bindings=False)  # workers bind applications
        # FILE's version, against which the data was checked (exit 1 when refused)
        version = file_version(engine, deployed, process.id)
        started = 0
        # Ctrl-C stops between starts, never between a start's commit and its id printed
        with interrupts_held(_HEARD) as held, _stopped_partway(lambda: started, count, held):
            for _ in range(count):
                held.deliver()
                iid = engine.start_process(process.id, data, version=version, defer=True)
                click.echo(iid)  # the engine's own id (pi-N)
                started += 1


@contextmanager
def _stopped_partway(
    started: Callable[[], int], count: int, held: HeldInterrupts
) -> Iterator[None]:
    """Say how many of ``count`` instances were started when a failure or Ctrl-C stops the
    loop after the first one. Why: each instance commits on its own, so the store's "stored
    data is unchanged" (true of the one it was starting) read as if none were, and running
    the command again as told started all ``count`` again. The failure keeps its exit status
    (:func:`~wfengine.cli.database.engine_errors`); Ctrl-C says it on stderr before the usual
    "Aborted!" (130). Stopped before the first, the failure is said as before. Ctrl-C waits
    for the start under way (:mod:`~wfengine.cli.held_interrupts`; one waiting for its
    database stops at its next retry, nothing of it stored), so K is exact; pressed again, it
    stopped that start midway, which may have been stored: the message says so. A start that
    fails with a Ctrl-C pending stops the command as Ctrl-C does (130), its failure said."""
    try:
        with engine_errors():
            yield
    except KeyboardInterrupt:
        _say_interrupted(started(), count, held)
        raise
    except click.ClickException as exc:
        if held.pending:  # Ctrl-C was pressed while that start waited, then it failed
            _say_interrupted(started(), count, held, f"The start under way failed: {exc.message}")
            raise KeyboardInterrupt from exc
        if not started():
            raise
        cause = f"What stopped the next one (it was not started): {exc.message}"
        raise type(exc)(f"{_how_far(started(), count)}. {cause}") from exc


def _say_interrupted(started: int, count: int, held: HeldInterrupts, failure: str = "") -> None:
    """Before Ctrl-C's "Aborted!": what stopped the start under way when it failed, how
    many were started, and whether one may be stored."""
    if held.forced or ((started or failure) and not held.noticed):
        click.echo(err=True)  # (after the ^C the terminal echoed)
    if failure:
        click.echo(failure, err=True)
    if started:
        click.echo(_how_far(started, count), err=True)
    if held.forced:
        click.echo(_MIDWAY, err=True)


#: said at the first Ctrl-C (:func:`~wfengine.cli.held_interrupts.interrupts_held`)
_HEARD = (
    "Ctrl-C: stopping after the start under way (at once if it waits for the database); "
    "press Ctrl-C again to stop it now"
)


#: what a second Ctrl-C leaves unknown (it stopped a start midway)
_MIDWAY = (
    "Ctrl-C was pressed again while an instance was being started: it may have been stored "
    "without its id printed; `wfengine instances --db URL` lists those stored"
)


def _how_far(started: int, count: int) -> str:
    left = count - started
    return (
        f"{started} of {count} instances were started (their ids were printed); "
        f"start the remaining {left} (--count {left})"
    )


@instance.command("show")
@click.argument("instance_id", metavar="ID", type=STORED_TEXT)
@db_option
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='One object, {"id", "process_id", "state", "data", "activities": [{"activity_id", '
    '"state", "started_at", "completed_at", "subflow_instance_id"}, ...], "version", '
    '"kept_messages": [{"name", "data", "kept_at"}, ...], "parent_instance_id"}.',
)
def show(instance_id: str, url: str, as_json: bool) -> None:
    """Show an instance: its state, data and activity instances.

    \b
    Examples:
      wfengine instance show pi-1 --db sqlite:///wf.db
      wfengine instance show pi-1 --db sqlite:///wf.db --json | jq .data
    """
    # (an activity row the store leaves out is named on stderr, as instances names its rows)
    skipped = logging_to_stderr("warning", "wfengine instance show: %(message)s", "wfengine.store")
    with skipped, engine_on(url) as engine:
        snap = engine.instance(instance_id)
        activities = engine.activity_instances(instance_id)
        incidents = engine.incidents(instance_id)
    if as_json:
        out: dict[str, Any] = {
            "id": snap.id,
            "process_id": snap.process_id,
            "state": snap.state.value,
            "data": snap.data,
            "activities": [
                {
                    "activity_id": a.activity_id,
                    "state": a.state.value,
                    "started_at": iso(a.started_at),
                    "completed_at": iso(a.completed_at),
                    "subflow_instance_id": a.subflow_instance_id,
                }
                for a in activities
            ],
            "version": snap.version,  # keys were only ever added at the end
            "kept_messages": [
                {"name": m.name, "data": m.data, "kept_at": iso(m.kept_at)} for m in snap.messages
            ],
            "parent_instance_id": snap.parent_instance_id,
        }
        click.echo(dumps(out))
        return

    # ids and messages on one line (control characters escaped, as audit and status do): an
    # application's error holding a line break would otherwise print a forged line
    # a subflow's caller and a call activity's subflow, as status names them (only it did)
    parent = "" if snap.parent_instance_id is None else f" parent {o(snap.parent_instance_id)}"
    header = f"instance {o(snap.id)} of process {o(snap.process_id)} (version {snap.version})"
    click.echo(f"{header}{parent}")
    click.echo(f"state: {snap.state.value}")
    for name, value in snap.data.items():
        click.echo(f"  {o(name)} = {o(value_text(value))}")
    click.echo("activities:")
    for a in activities:
        done = iso(a.completed_at) or "-"
        child = "" if a.subflow_instance_id is None else f"\tsubflow {o(a.subflow_instance_id)}"
        click.echo(f"  {o(a.activity_id)}\t{a.state.value}\t{iso(a.started_at)}\t{done}{child}")
    for i in incidents:
        click.echo(f"incident {o(i.id)}: {o(i.message)}")
    if snap.messages:
        click.echo("kept messages (no catch has taken them yet):")
    for m in snap.messages:
        click.echo(f"  {o(m.name)}\t{iso(m.kept_at)}\t{o(repr(m.data))}")


def _state_command(verb: str, summary: str) -> click.Command:
    example = f"wfengine instance {verb} pi-1 --db sqlite:///wf.db"
    named = f"wfengine instance {verb} pi-1 --db sqlite:///wf.db --user ops-anna"

    @click.command(verb, help=summary, epilog=f"\b\nExamples:\n  {example}\n  {named}")
    @click.argument("instance_id", metavar="ID", type=STORED_TEXT)
    @db_option
    @acting_user_option
    def command(instance_id: str, url: str, user: str | None) -> None:
        with engine_on(url) as engine:
            getattr(engine, verb)(instance_id, user=user)
            # (its summary: an instance closed without its process definition, which no
            # longer compiles, is shown too)
            state = engine.instance_summary(instance_id).state.value
        click.echo(f"{o(instance_id)} {state}")

    return command


instance.add_command(
    _state_command("suspend", "Pause an open instance (open.not_running.suspended).")
)
instance.add_command(
    _state_command("resume", "Let a suspended instance run again; workers carry on its work.")
)
instance.add_command(_state_command("terminate", "Stop an open instance (closed.terminated)."))
instance.add_command(_state_command("abort", "Stop an open instance abnormally (closed.aborted)."))


@instance.command(
    "set",
    epilog="""\b
Examples:
  wfengine instance set pi-1 amount=250 --db sqlite:///wf.db
  wfengine instance set pi-1 customer='Ada Lovelace' --db sqlite:///wf.db --user ops-anna
  wfengine incident retry inc-7 --db sqlite:///wf.db""",
)
@click.argument("instance_id", metavar="ID", type=STORED_TEXT)
@click.argument("assignments", metavar="NAME=VALUE...", nargs=-1, required=True)
@db_option
@click.option(
    "--allow-undeclared",
    is_flag=True,
    help="Accept NAMEs the process does not declare (VALUE as JSON, else a string).",
)
@acting_user_option
def set_data(
    instance_id: str,
    assignments: tuple[str, ...],
    url: str,
    allow_undeclared: bool,
    user: str | None,
) -> None:
    """Write data fields of an open instance and print ID STATE.

    NAME is a data field or formal parameter of the instance's process (its id, or a Name
    only one carries); VALUE is converted to its type as for `instance start --set`. The
    change is audited (instance.data). Use it to fix the data an incident stopped on (a
    count that divides by zero, a decision none of whose conditions holds), then `wfengine
    incident retry` the incident.
    """
    from wfengine.cli.declared_data import declared_values
    from wfengine.errors import IllegalStateError

    option = "NAME=VALUE"
    raw = split_assignments(assignments, option)
    with engine_on(url) as engine:
        summary = engine.instance_summary(instance_id)  # an unknown id exits 1
        if summary.state.is_closed:  # said before its values are read, as the engine says it
            raise IllegalStateError(
                f"process instance {instance_id!r}", summary.state.value, "change the data of"
            )
        # read by the version the instance runs, whose declarations its data follows
        deployed = engine.deployed(summary.process_id, summary.version)
        data = declared_values(
            raw,
            deployed.package,
            deployed.definition,
            allow_undeclared=allow_undeclared,
            option=option,
        )
        # a ReadOnly field is a constant: refused as instance start, incident skip and WAPI
        # refuse it (Engine.set_data, the host's own way, does not check), exit 1
        deployed.compiled.refuse_read_only(data, f"process instance {instance_id!r}")
        engine.set_data(instance_id, data, user=user)  # (closed meanwhile: exit 1 too)
        # (its state afterwards: a conditional event the new data makes true may end it)
        state = engine.instance_summary(instance_id).state.value
    click.echo(f"{o(instance_id)} {state}")


@instance.command("cancel")
@click.argument("instance_id", metavar="ID", type=STORED_TEXT)
@db_option
@click.option(
    "--activity",
    "activity_id",
    required=True,
    metavar="ACT",
    type=STORED_TEXT,
    help="The activity to cancel.",
)
@acting_user_option
def cancel(instance_id: str, url: str, activity_id: str, user: str | None) -> None:
    """Cancel the open instances of activity ACT: they close as aborted, their work items are
    withdrawn and their branches end; the instance carries on with the rest. What that lets
    go on (a join that waited for ACT's branch) is queued for workers: `wfengine status`
    shows it until `wfengine worker` runs it.

    \b
    Examples:
      wfengine instance cancel pi-1 --activity check_stock --db sqlite:///wf.db
      wfengine instance cancel pi-1 --activity check_stock --db sqlite:///wf.db --user ops-anna
    """
    from wfengine.cli.runner import cancel_open
    from wfengine.errors import IllegalStateError

    with engine_on(url) as engine:
        engine.instance(instance_id)  # an unknown id exits 1
        if not cancel_open(engine, [instance_id], activity_id, user):
            _refuse_unknown_activity(engine, instance_id, activity_id)
            raise IllegalStateError(
                f"activity {activity_id!r} of instance {instance_id!r}", "not open", "cancel"
            )
        state = engine.instance(instance_id).state.value
    click.echo(f"{o(instance_id)} {state}")


def _refuse_unknown_activity(engine: Engine, instance_id: str, activity_id: str) -> None:
    """Raise a :class:`~wfengine.errors.NotFoundError` (exit 1) when the instance's process
    has no activity ``activity_id``: a misspelt id is not an activity that is "not open",
    which would send the operator looking for why it closed. When the process version
    cannot be read (no longer compiles), the plain "not open" refusal follows instead."""
    from wfengine.errors import NotFoundError, WorkflowError

    summary = engine.instance_summary(instance_id)
    try:
        compiled = engine.deployed(summary.process_id, summary.version).compiled
    except WorkflowError:
        return
    if compiled.activity(activity_id) is None:
        raise NotFoundError(
            "activity",
            activity_id,
            f"process {summary.process_id!r} version {summary.version} of instance "
            f"{instance_id!r} has no such activity; nothing was cancelled",
        )
