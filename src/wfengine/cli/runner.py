"""What ``wfengine run`` does between starting an instance and reporting on it.

The runner carries out everything that can happen without a person (automatic work, including
calls of asynchronous applications, waiting out their retry backoff, and timers already due: a
zero timer, one that names no time, a date gone by), then completes the oldest open work item
of the run's instance tree that may be completed now (one of a sequential ad-hoc set waits
for its turn: :mod:`wfengine.cli.run_turns`), merging the next ``--answers`` entry of its
activity, and repeats until no work item is left. Timers due later are not waited for.

A decision the definition leaves to people (a label such as "Claim accepted" where a
condition belongs, which stops the instance with an incident) is answered like manual work:
by taking its first way, in the order the engine evaluates them (``--decisions incident``
leaves such incidents open instead).

It stops early, leaving the instance open, when it notices a manual loop it can never leave
(:mod:`wfengine.runtime.repeat_guard`; label decisions count as manual steps) or, as a last guard,
after :data:`MAX_COMPLETIONS` completions. Only the public
:class:`~wfengine.runtime.engine.Engine` API is used, so the same runner works in memory and on
a database shared with other instances (whose work it leaves alone).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wfengine.cli.answers import Answers, answers_left
from wfengine.cli.json_output import iso
from wfengine.cli.run_members import Tree
from wfengine.cli.run_turns import Turns
from wfengine.cli.script_steps import Step
from wfengine.errors import DataTypeError, IllegalStateError, NotFoundError
from wfengine.runtime.repeat_guard import BoundedLoops, RepeatGuard, state_key

if TYPE_CHECKING:
    from wfengine.definition.model import Package
    from wfengine.runtime.deployment import DeployedProcess
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.snapshots import (
        DecisionSnapshot,
        IncidentSnapshot,
        InstanceSummary,
    )

#: work items the runner completes at most: the last guard against a loop it does not notice
MAX_COMPLETIONS = 100_000


@dataclass
class RunOutcome:
    """Where a run left its instance."""

    instance_id: str
    trace: list[str]
    incidents: list[IncidentSnapshot]
    #: what the instance tree waits for: see :func:`waiting_rows`
    waiting: list[dict[str, Any]]
    #: why the runner stopped completing work items early, or None
    stopped: str | None = None
    #: how many work items the runner completed
    completions: int = 0
    #: decisions the definition left to people (labels), answered by taking the first way:
    #: ``{"instance_id", "activity_id", "take", "ways"}``
    decided: list[dict[str, Any]] = field(default_factory=list)
    #: ``--answers`` entries no completion took, by activity (said on stderr, not dropped)
    unused: dict[str, int] = field(default_factory=dict)


def drive(
    engine: Engine,
    package: Package,
    process_id: str,
    data: dict[str, Any],
    answers: Answers,
    *,
    decide_labels: bool = True,
    steps: Sequence[Step] = (),
) -> RunOutcome:
    """Deploy ``package``, start ``process_id`` with ``data`` and answer its manual work (and
    its subflows') until none is left, a loop is noticed or the limit is reached.

    ``decide_labels``: a decision the definition leaves to people (a label where a condition
    belongs stops the instance with an incident) is answered like manual work, by taking its
    first way in the engine's order of evaluation.
    """
    version = file_version(engine, engine.deploy(package), process_id)
    instance_id = engine.start_process(process_id, data, version=version)
    tree = Tree(engine, instance_id)
    #: completions so far per activity, the script's too: the n-th takes the n-th answer
    used: dict[str, int] = defaultdict(int)
    for step in steps:
        _run_calls(engine, tree)
        taken = _next_answer(answers, used, step.target) if step.action == "complete" else None
        perform(engine, tree, step, taken)
    waits: str | None = None
    guard, loops, turns = RepeatGuard(), BoundedLoops(engine), Turns(engine)
    stopped: str | None = None
    completions = 0
    decided: list[dict[str, Any]] = []
    while True:
        waits = _run_calls(engine, tree)
        items = [w for w in engine.work_items() if tree.contains(w.instance_id)]
        decision = _label_decision(engine, tree) if decide_labels else None
        if decision is not None:
            key = state_key(
                decision.activity_id,
                None,
                (w.activity_id for w in items),
                tree.open_state(),
                answers_left(answers, used),
            )
            cycle = guard.cycle(key, None)
            if cycle is not None:
                stopped = _loop_message(cycle)
                break
            take = decision.ways[0].transition_id
            engine.skip_incident(decision.incident_id, take=[take])
            decided.append(
                {
                    "instance_id": decision.instance_id,
                    "activity_id": decision.activity_id,
                    "take": take,
                    "ways": [w.transition_id for w in decision.ways],
                }
            )
            continue
        if not items:
            break
        if completions >= MAX_COMPLETIONS:
            stopped = (
                f"the runner completed {MAX_COMPLETIONS:,} work items and the instance still "
                "waits for more"
            )
            break
        item = turns.first_ready(items)
        if item is None:  # (the turn is with work that is not a person's: a waiting subflow)
            stopped = (
                "every open work item waits for its turn in its sequential ad-hoc set (another "
                "activity of the set is in progress)"
            )
            break
        key = state_key(
            item.activity_id,
            item.mi_index,
            (w.activity_id for w in items),
            tree.open_state(),
            answers_left(answers, used),
        )
        cycle = guard.cycle(key, loops.looping(item))
        if cycle is not None:
            stopped = _loop_message(cycle)
            break
        engine.complete_work_item(item.id, _next_answer(answers, used, item.activity_id))
        completions += 1
    incidents = [i for i in engine.incidents() if tree.contains(i.instance_id)]
    if stopped is None and waits is not None:
        stopped = waits
    unused = {activity: n for activity, n in answers_left(answers, used).items() if n > 0}
    return RunOutcome(
        instance_id,
        engine.trace(instance_id),
        incidents,
        waiting_rows(engine, tree),
        stopped,
        completions,
        decided,
        unused,
    )


def _next_answer(answers: Answers, used: dict[str, int], activity_id: str) -> dict[str, Any] | None:
    """The answer the next completion of ``activity_id`` merges (None: none left), counted
    as taken: the n-th completion, by the runner or a ``--script`` step, takes the n-th."""
    n = used[activity_id]
    used[activity_id] = n + 1
    given = answers.get(activity_id, [])
    return given[n] if n < len(given) else None


def file_version(engine: Engine, deployed: Sequence[DeployedProcess], process_id: str) -> int:
    """The version of ``process_id`` that deploying FILE stored or kept (``deployed``: what
    :meth:`~wfengine.runtime.engine.Engine.deploy` returned): what ``run`` and ``instance
    start`` start, since the ``--set`` data was checked against FILE's process, and since
    the engine's own choice (the newest version valid now) may be another version.

    FILE's process refused (its validation errors) is its
    :class:`~wfengine.errors.DeployError`, exit 1, even when an earlier version is stored:
    starting that one instead would run a definition FILE does not hold. A version whose
    validity period (``ValidFrom``/``ValidTo``) does not hold now is exit 1 too, saying it
    is deployed (it starts instances once its period holds) and nothing was started; one
    whose period has ended, or is empty, says so, and that a new version is needed (it never
    holds again)."""
    from wfengine.cli.exit_status import WorkflowRefused
    from wfengine.definition.validity import empty_period
    from wfengine.errors import DeployError

    found = next((d for d in deployed if d.process_id == process_id), None)
    if found is None:
        refusal = engine.refusal(process_id)
        if refusal is None:  # (deploy names every process it stores or refuses)
            refusal = DeployError(f"process {process_id!r} was not deployed")
        older = engine.store.versions(process_id)
        if older:
            raise WorkflowRefused(
                f"{refusal}; nothing was started (the stored version {older[-1]} was not "
                "started: it is not what the file holds)"
            )
        raise refusal
    now = engine.clock.now()
    if not found.valid_at(now):
        subject = f"process {process_id!r} version {found.version}, as the file holds it,"
        if empty_period(found.valid_from, found.valid_to):  # (it never holds: not "once")
            header = found.definition.header
            raise WorkflowRefused(
                f"{subject} has an empty validity period: ValidFrom {header.valid_from!r} is "
                f"not before ValidTo {header.valid_to!r}, so no instance of it ever starts; "
                "nothing was started: deploy a new version with ValidFrom before ValidTo"
            )
        if found.valid_to is not None and found.valid_to <= now:
            # a period that ended never holds again: only a new version starts instances
            raise WorkflowRefused(
                f"{subject} has a validity period that has ended: ValidTo "
                f"{found.definition.header.valid_to!r} ended at {found.valid_to.isoformat()}, "
                f"before now ({now.isoformat()}); it starts no instances again and nothing "
                "was started: deploy a new version with a later ValidTo (or none)"
            )
        raise WorkflowRefused(
            f"{subject} is {found.window()}, not now ({now.isoformat()}): it is deployed "
            "and starts instances once its period holds; nothing was started"
        )
    return found.version


def cancel_open(
    engine: Engine, instance_ids: Sequence[str], activity_id: str, user: str | None = None
) -> int:
    """Cancel the open instances of ``activity_id`` in ``instance_ids``, as asked by ``user``
    (None: nobody named); how many there were (one cancelled first may close others with it:
    an MI activity's instances)."""
    found = [
        (iid, a.id)
        for iid in instance_ids
        for a in engine.activity_instances(iid)
        if a.activity_id == activity_id and a.state.is_open
    ]
    for iid, ai_id in found:
        still = engine.activity_instances(iid)
        if any(a.id == ai_id and a.state.is_open for a in still):
            engine.cancel_activity(iid, ai_id, user=user)
    return len(found)


def perform(engine: Engine, tree: Tree, step: Step, answer: dict[str, Any] | None = None) -> None:
    """Carry out one ``--script`` step on the run's instance tree
    (:mod:`wfengine.cli.script_steps`); one that finds nothing to act on is refused (exit 1).
    ``answer``: the ``--answers`` entry a ``complete`` step's completion takes, under the
    step's own ``set`` (its values win)."""
    from wfengine.cli.exit_status import WorkflowRefused
    from wfengine.runtime.clock import VirtualClock

    if step.action == "complete":
        items = [
            w
            for w in engine.work_items()
            if w.activity_id == step.target and tree.contains(w.instance_id)
        ]
        if not items:
            raise WorkflowRefused(f"{step}: no open work item of activity {step.target!r}")
        # the oldest whose turn it is (a sequential ad-hoc set), else the oldest, refused
        item = Turns(engine).first_ready(items) or items[0]
        try:
            engine.complete_work_item(item.id, {**(answer or {}), **step.data} or None)
        except IllegalStateError as exc:  # its turn has not come: named as the step's
            raise WorkflowRefused(f"{step}: {exc}") from None
    elif step.action == "advance":
        clock = engine.clock
        assert isinstance(clock, VirtualClock)  # a run with steps runs on a virtual clock
        clock.advance(step.target)
    elif step.action == "cancel":
        # every open member, found down the subflow links (not only those an earlier step
        # happened to look at): the root, then its subflows, depth first
        members = [instance_id for instance_id, _ in tree.walk()]
        if not cancel_open(engine, members, step.target):
            raise WorkflowRefused(f"{step}: no open instance of activity {step.target!r}")
    elif step.action == "add_instance":
        running = [
            a
            for _, activities in tree.walk()
            for a in activities
            if a.activity_id == step.target and a.state.is_open and a.mi_index is None
        ]
        if not running:
            raise WorkflowRefused(f"{step}: no running multi-instance activity {step.target!r}")
        try:
            engine.add_mi_instance(running[0].id, step.data or None)
        except IllegalStateError as exc:
            raise WorkflowRefused(f"{step}: {exc}") from None
    elif step.action in ("message", "signal"):
        try:
            if step.action == "message":
                target = message_target(engine, tree, step.target)
                engine.send_message(step.target, step.data, instance_id=target)
            else:
                engine.broadcast_signal(step.target, step.data)
        except (NotFoundError, DataTypeError) as exc:  # nothing catches it; data that won't fit
            raise WorkflowRefused(f"{step}: {exc}") from None
    elif step.action == "terminate":
        try:
            engine.terminate(tree.root)
        except IllegalStateError as exc:  # closed already (a step before, or its own end)
            raise WorkflowRefused(f"{step}: {exc}") from None


def message_target(engine: Engine, tree: Tree, name: str) -> str:
    """The instance of the run's tree a ``--script`` message ``name`` goes to: the first open
    member (the root, then its subflows, depth first) where something waits for ``name`` (a
    catch event, an event attached to a running activity, an armed event sub-process: as
    the engine decides who takes a message, :meth:`~wfengine.runtime.engine.Engine.
    waits_for_message`); else the first whose process can catch it, which keeps it; else,
    when a deployed process catches it but no instance of it is in the tree yet (a subflow
    not yet started), a :class:`~wfengine.errors.NotFoundError` naming that process and
    saying to send it after the step that starts it (before, the root refused it, naming
    only what the root catches: "none"), or, when an instance of the run that catches it
    has closed, one naming that instance and its state, and the advice while the run may
    start another (:func:`_later_catcher`); else the root, which refuses it (exit 1,
    naming what it catches)."""
    members = tree.walk()
    for instance_id, _ in members:
        if engine.waits_for_message(instance_id, name):
            return instance_id
    for instance_id, _ in members:
        summary = engine.instance_summary(instance_id)
        compiled = engine.deployed(summary.process_id, summary.version).compiled
        if name in compiled.messages_caught():
            return instance_id
    catching = _catching_processes(engine, tree, name)
    if catching:
        _refuse_closed_catching(engine, tree, name, catching)
        shown = ", ".join(map(repr, catching))
        raise NotFoundError(
            "instance of this run that catches message",
            name,
            f"process {shown} catches it, but no instance of it has started in this run yet; "
            "a message is kept only by an instance that can catch it: send it in a step "
            "after the one that starts that subflow; nothing was changed",
        )
    return tree.root


def _refuse_closed_catching(engine: Engine, tree: Tree, name: str, catching: list[str]) -> None:
    """Refuse message ``name`` (:class:`~wfengine.errors.NotFoundError`) when a closed
    instance of the run catches it, naming the first (the root, then its subflows, depth
    first) and its state: no open member catches it (the caller looked), and a closed
    instance takes no message. While the root is open, the run may still start one of
    ``catching`` (a second call of that subflow, say), so the advice to send the message
    after the step that starts it stays; only a closed root means no other instance of
    the run catches it, nor will."""
    closed: list[InstanceSummary] = []
    tree.walk(closed)
    for summary in closed:
        compiled = engine.deployed(summary.process_id, summary.version).compiled
        if name in compiled.messages_caught():
            raise NotFoundError(
                "open instance of this run that catches message",
                name,
                f"instance {summary.id!r} of process {summary.process_id!r}, which catches "
                f"it, is {summary.state.value}: a closed instance takes no message, and "
                f"{_later_catcher(closed[0].id != tree.root, catching)}; nothing was changed",
            )


def _later_catcher(root_open: bool, catching: list[str]) -> str:
    """What may still take the message a closed instance would have: another instance of
    a process that catches it, which the run can start while its root is open."""
    if not root_open:
        return "no other of this run catches it"
    shown = ", ".join(map(repr, catching))
    return (
        f"no other open instance of this run catches it (if a later step starts another "
        f"instance of process {shown}, send it in a step after that one)"
    )


def _catching_processes(engine: Engine, tree: Tree, name: str) -> list[str]:
    """The processes a run of the tree's root can start (their latest versions), with
    something that catches message ``name``, by id. Only those
    (:func:`~wfengine.cli.run_tree.run_processes`): another deployed process catching it
    made the advice "send it after the step that starts that subflow", which never starts."""
    from wfengine.cli.run_tree import run_processes
    from wfengine.errors import DeployError

    root = engine.instance_summary(tree.root)
    deployed_root = engine.deployed(root.process_id, root.version)
    run = run_processes(deployed_root.package, deployed_root.definition)
    found: list[str] = []
    for process_id in sorted(run & set(engine.store.deployed_process_ids())):
        try:
            deployed = engine.deployed(process_id)
        except DeployError:
            continue
        if name in deployed.compiled.messages_caught():
            found.append(process_id)
    return found


def _loop_message(cycle: list[str]) -> str:
    return (
        f"manual loop: {' -> '.join(cycle)} would repeat forever (the same activity, "
        "data, open work items and place in the flow as before, and no --answers entry left "
        "for them)"
    )


def _label_decision(engine: Engine, tree: Tree) -> DecisionSnapshot | None:
    """The oldest open decision of the tree that the definition left to people."""
    for incident in engine.incidents():
        if incident.operation != "leave" or not tree.contains(incident.instance_id):
            continue
        decision = engine.decision(incident.id)
        if decision is not None and decision.labelled:
            return decision
    return None


#: the longest retry back-off ``run`` sleeps out on the real clock (without ``--script``): a
#: run is a test drive, and a definition may wait an hour between attempts; a longer wait is
#: left pending (listed under ``waiting``) and the run says why it stopped
REAL_RETRY_WAIT_LIMIT = 60.0


def _run_calls(engine: Engine, tree: Tree) -> str | None:
    """Carry out the run's asynchronous application calls (``invoke`` jobs), waiting out
    their retry backoff, and fire its timers already due, until none of its instances has
    either left: they are automatic work that can run. Timers due later are not waited for.
    With ``--db`` this may also carry out due calls of other instances in the database
    (harmlessly: a job's effect happens once); their timers are left to workers.

    The wait: on a run's virtual clock (``--script``) the clock is moved on to the earliest
    call due (firing what falls due on the way), since nothing else moves it (the runner
    slept in real time for a virtual time that never came: the run never ended); on the
    real clock the runner sleeps, up to :data:`REAL_RETRY_WAIT_LIMIT` seconds: a call due
    later is left waiting, and the returned text says so (else None)."""
    from wfengine.runtime.clock import VirtualClock
    from wfengine.runtime.jobs import JOB_INVOKE, JOB_TIMER, PARKED
    from wfengine.runtime.states import ProcessState

    while True:
        if engine.run_due_jobs(kinds=(JOB_INVOKE,)):
            continue
        now = engine.clock.now()
        jobs = [
            j
            for j in engine.jobs()
            if j.kind in (JOB_INVOKE, JOB_TIMER)
            and tree.contains(j.instance_id)
            and engine.instance_summary(j.instance_id).state is ProcessState.RUNNING
        ]
        due_timers = {j.instance_id for j in jobs if j.kind == JOB_TIMER and j.due <= now}
        if due_timers and engine.fire_due_timers(instances=due_timers):
            continue
        # (a job parked on its incident is due at the end of the engine's time: never)
        pending = [j.due for j in jobs if j.kind == JOB_INVOKE and j.due < PARKED]
        if not pending:
            return None
        clock = engine.clock
        if isinstance(clock, VirtualClock) and min(pending) > clock.now():
            clock.set(min(pending))
            continue
        wait = (min(pending) - clock.now()).total_seconds()
        if wait > REAL_RETRY_WAIT_LIMIT:
            return (
                f"an application call waits {wait:,.0f} s before its next attempt (longer "
                f"than the {REAL_RETRY_WAIT_LIMIT:.0f} s run waits on the real clock); "
                "give --script to run it on a virtual clock"
            )
        time.sleep(max(wait, 0.01))


def waiting_rows(engine: Engine, tree: Tree) -> list[dict[str, Any]]:
    """What the instance tree waits for, as ``run --json`` reports it under ``"waiting"``:
    one ``{"kind", "id", "instance_id", "activity_id", "due"}`` per open work item (``kind``
    ``"work_item"``, ``due`` null), per catch event waiting in any open instance of the tree,
    subflows included (``kind`` what the activity instance says it waits on, ``"message"`` or
    ``"signal"``; ``id`` its activity instance, ``due`` null) and per
    pending job (``kind`` the job's: ``"timer"`` for a deadline or timer event,
    ``"invoke"`` for an asynchronous call, ``"continue"`` for deferred work;
    ``activity_id`` known for timers, else null; ``due`` ISO 8601): work items first, then
    catches, then jobs, each group oldest first. Empty when the instance has completed.

    A work item's reminders and escalations (jobs of kind ``"reminder"``) are left out: they
    nag the people an item listed here is with, and nothing in the instance waits for them
    (listed, they read as a step the run had not reached, one per reminder to come)."""
    from wfengine.runtime.jobs import JOB_REMINDER

    rows: list[dict[str, Any]] = [
        {
            "kind": "work_item",
            "id": w.id,
            "instance_id": w.instance_id,
            "activity_id": w.activity_id,
            "due": None,
        }
        for w in engine.work_items()
        if tree.contains(w.instance_id)
    ]
    for instance_id, activities in tree.walk():
        rows.extend(
            {
                "kind": a.waiting_on,
                "id": a.id,
                "instance_id": instance_id,
                "activity_id": a.activity_id,
                "due": None,
            }
            for a in activities
            if a.waiting_on is not None
        )
    timer_activities: dict[str, str] = {}
    for job in engine.jobs():
        if not tree.contains(job.instance_id) or job.kind == JOB_REMINDER:
            continue
        if job.kind == "timer" and job.id not in timer_activities:
            timer_activities.update(_timer_activities(engine, job.instance_id))
        rows.append(
            {
                "kind": job.kind,
                "id": job.id,
                "instance_id": job.instance_id,
                "activity_id": timer_activities.get(job.id),
                "due": iso(job.due),
            }
        )
    return rows


def _timer_activities(engine: Engine, instance_id: str) -> dict[str, str]:
    """Timer id -> the activity whose deadline or timer event it is, for one instance; for
    an event sub-process's timer the block activity that runs it (its timer row names the
    instance, not an activity instance: before, it was listed with a null activity_id)."""
    from wfengine.runtime.timer_owners import timer_activity

    inst = engine.store.instance(instance_id)
    found: dict[str, str] = {}
    for t in engine.timers(instance_id):
        activity_id = timer_activity(inst, t.activity_instance_id, t.deadline_index)
        if activity_id is not None:
            found[t.id] = activity_id
    return found
