"""A scenario read against the process it runs: every id it names checked, the resources
and the trail's durations worked out, before anything runs (:func:`bind`)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wfengine.applications.coercion import Checked, coerce
from wfengine.applications.specs import basic_kind
from wfengine.definition.graph import is_event_gateway
from wfengine.definition.lanes import LanePerformers
from wfengine.definition.model import (
    Activity,
    BlockActivity,
    Event,
    FormalParameter,
    GatewayType,
    Mode,
    Package,
    ParameterMode,
    ReferenceImplementation,
    Route,
    SubFlowImplementation,
    TaskImplementation,
    TaskKind,
    ToolCall,
    Transition,
    WorkflowProcess,
)
from wfengine.definition.model_processes import choosing_ways
from wfengine.definition.modes import modes
from wfengine.definition.parameters import implied_formals, takes_actuals_as_given
from wfengine.definition.reading import declared_types
from wfengine.errors import WorkflowError
from wfengine.runtime.compile_people import data_access
from wfengine.runtime.compiler import field_kinds as compiled_field_kinds
from wfengine.simulation.calendar import WorkingCalendar
from wfengine.simulation.distributions import ScenarioError
from wfengine.simulation.scenario import Scenario, Work
from wfengine.simulation.step_keys import RunSteps, Step, labels_of
from wfengine.simulation.step_keys import process_activities as all_activities
from wfengine.simulation.trail import trail_reader


@dataclass(frozen=True)
class Bound:
    """A scenario read against the process it runs (every id checked)."""

    scenario: Scenario
    package: Package
    process: WorkflowProcess
    #: step label (its id; ``PROCESS/ACTIVITY`` for a called process's step whose id another
    #: process of the run has: :func:`step_labels`) -> what the scenario gives it
    activities: Mapping[str, Work]
    applications: Mapping[str, Work]
    #: activity id -> [(transition id, weight)]
    branches: Mapping[str, Sequence[tuple[str, float]]]
    #: application ids of the process's Tool activities -> the activities (labels) calling them
    tools: Mapping[str, tuple[str, ...]]
    #: Tool activities the engine runs by itself: their duration is their calls' time (a
    #: person's activity's duration is the person's, not its applications')
    calls: frozenset[str] = frozenset()
    #: the processes the process's subflows call (in this package, transitively)
    called: tuple[str, ...] = ()
    #: participant id -> the people standing for it (capacity mode)
    members: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: person -> their calendar (people the resources section makes)
    calendars: Mapping[str, WorkingCalendar] = field(default_factory=dict)
    #: person -> the groups (roles, units, participants) their work counts for
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    organisation: Any = None
    #: activity id -> the declared type of each data field its ``outputs`` write (the
    #: fields the engine checks a completion's values against), for naming a refused draw
    output_kinds: Mapping[str, Mapping[str, tuple[Checked, bool]]] = field(default_factory=dict)
    #: application id -> the declared type of each OUT/INOUT parameter its stand-in's
    #: ``outputs`` answer, for stopping the run at a draw the type refuses
    answer_kinds: Mapping[str, Mapping[str, tuple[Checked, bool]]] = field(default_factory=dict)


def bind(scenario: Scenario, package: Package, process_id: str | None = None) -> Bound:
    """Check ``scenario`` against ``package``'s process (``process_id``, else the
    scenario's, else the first) and read what depends on it."""
    wanted = process_id or scenario.process
    try:
        process = package.process(wanted)
    except KeyError as exc:
        # blame where the id came from: the caller's process_id (the CLI's --process), or the
        # scenario's process key (neither: the package has no process, no fault of the scenario)
        where = "process_id: " if process_id else f"{scenario.source}: process: " if wanted else ""
        raise ScenarioError(f"{where}{exc.args[0]}") from None
    processes = called_processes(package, process)
    steps = RunSteps(processes)
    activities: dict[str, Activity] = {}
    owners: dict[str, list[str]] = {}
    transitions: list[Transition] = []
    tools: dict[str, list[str]] = {}
    calls_of: dict[str, list[ToolCall]] = {}
    for proc in processes:
        transitions.extend(proc.transitions)
        for activity_set in proc.activity_sets:
            transitions.extend(activity_set.transitions)
        for activity in all_activities(proc):
            activities.setdefault(activity.id, activity)
            owners.setdefault(activity.id, []).append(proc.id)
            if isinstance(activity.body, TaskImplementation):
                for call in activity.body.tools:
                    tools.setdefault(call.application_id, []).append(
                        steps.label(proc.id, activity.id)
                    )
                    calls_of.setdefault(call.application_id, []).append(call)
    _refuse_shared_ids(scenario, owners)
    named = steps.resolve(scenario.source, "activities", scenario.activities)
    empirical = trail_reader(scenario.trail, scenario.source, [p.id for p in processes])
    works = scenario.work("activities", scenario.activities, list(named), empirical)
    calls = _check_work(scenario, works, named, LanePerformers(package))
    app_works = scenario.work("applications", scenario.applications, list(tools))
    answer_kinds = _check_answers(scenario, package, processes, app_works, calls_of)
    output_kinds = _check_outputs(scenario, package, processes, works, named)
    branches = _branches(scenario, activities, transitions)
    members: dict[str, tuple[str, ...]] = {}
    calendars: dict[str, WorkingCalendar] = {}
    groups: dict[str, tuple[str, ...]] = {}
    organisation = None
    if scenario.organisation is not None:
        if scenario.resources:
            raise ScenarioError(
                f"{scenario.source}: give resources or organisation, not both (an "
                "organisation's people are the resources)"
            )
        from wfengine.worklist.org_files import load_organisation

        try:
            organisation = load_organisation(scenario.organisation)
        except WorkflowError as exc:
            raise ScenarioError(f"{scenario.source}: organisation: {exc}") from None
        except OSError as exc:
            raise ScenarioError(
                f"{scenario.source}: organisation: cannot read {scenario.organisation}: "
                f"{exc.strerror}"
            ) from None
    else:
        performers = _performers(package, processes)
        for participant, resource in scenario.resources.items():
            if participant not in performers:
                known = ", ".join(sorted(performers)) or "none"
                raise ScenarioError(
                    f"{scenario.source}: resources.{participant}: no activity of the process "
                    f"is performed by it (its performers: {known})"
                )
            if (idle := _sized_for_nobody(participant, performers[participant])) is not None:
                raise ScenarioError(f"{scenario.source}: {idle}")
            people = tuple(f"{participant}-{n}" for n in range(1, resource.count + 1))
            members[participant] = people
            for person in people:
                calendars[person] = resource.calendar or scenario.calendar
                groups[person] = (participant,)
    return Bound(
        scenario,
        package,
        process,
        {named[k].label: work for k, work in works.items()},
        app_works,
        branches,
        {k: tuple(v) for k, v in tools.items()},
        frozenset(named[k].label for k in calls),
        tuple(p.id for p in processes[1:]),
        members,
        calendars,
        groups,
        organisation,
        {named[k].label: kinds for k, kinds in output_kinds.items()},
        answer_kinds,
    )


def field_kinds(package: Package, process: WorkflowProcess) -> dict[str, tuple[Checked, bool]]:
    """What the engine checks each data field and formal parameter of ``process`` against
    (the process's own declarations win over the package's): the deploying compiler's own
    reading (:func:`wfengine.runtime.compiler.field_kinds`)."""
    return compiled_field_kinds(package, process, declared_types(package))


def refusal(value: Any, kind: tuple[Checked, bool]) -> str | None:
    """Why a field of type ``kind`` does not take ``value`` (None when it does), with the way
    to whole numbers when a fraction meets an INTEGER field."""
    try:
        coerce(value, *kind)
    except ValueError as exc:
        why = str(exc)
        if isinstance(value, float) and "INTEGER" in why:
            why += (
                " (uniform, normal and exponential draw fractions: for whole numbers draw "
                "{randint: [min, max]}, or declare the field FLOAT)"
            )
        return why
    return None


def _check_outputs(
    scenario: Scenario,
    package: Package,
    processes: Sequence[WorkflowProcess],
    works: Mapping[str, Work],
    steps: Mapping[str, Step],
) -> dict[str, dict[str, tuple[Checked, bool]]]:
    """Refuse a case's ``data`` naming no declared field; a person's ``outputs`` naming none
    by Id or Name, nor listed by its activity to write (refused to whoever completes, an
    administrator too: the case would wait for ever); a value (one draw) its field's type does
    not take. Returns the types of the fields the outputs write (to name a later refusal)."""
    kinds_of = {p.id: field_kinds(package, p) for p in processes}
    ids = {p.id: {f.id: f.name or f.id for f in package.data_fields} for p in processes}
    for p in processes:  # (the process's own declarations win over the package's)
        ids[p.id].update({f.id: f.name or f.id for f in p.data_fields})
        ids[p.id].update({f.id: f.name or f.id for f in p.formal_parameters})
    main = processes[0].id
    sections = [("data", scenario.data, kinds_of[main], ids[main], set(ids[main]))]
    found: dict[str, dict[str, tuple[Checked, bool]]] = {}
    for key, work in works.items():
        if work.outputs:
            owner, writes = steps[key].process_id, data_access(steps[key].activity).writes
            known = {*ids[owner], *ids[owner].values(), *writes}
            found[key] = {n: kinds_of[owner][n] for n in work.outputs if n in kinds_of[owner]}
            sections.append(
                (f"activities.{key}.outputs", work.outputs, found[key], ids[owner], known)
            )
    for section, samplers, kinds, declared, known in sections:
        for name, sample in samplers.items():
            if name not in known:
                listed = ", ".join(sorted(declared)) or "none"
                raise ScenarioError(
                    f"{scenario.source}: {section}.{name}: the process declares no such data "
                    f"field (it has: {listed})"
                )
            if name not in kinds:
                continue  # (a type the engine does not check, or a field given by its Name)
            drawn = sample(random.Random(0))
            why = refusal(drawn, kinds[name])
            if why is not None:
                raise ScenarioError(
                    f"{scenario.source}: {section}.{name}: {drawn!r} does not fit data field "
                    f"{name!r}: {why}"
                )
    return found


def _check_answers(
    scenario: Scenario,
    package: Package,
    processes: Sequence[WorkflowProcess],
    works: Mapping[str, Work],
    calls_of: Mapping[str, Sequence[ToolCall]],
) -> dict[str, dict[str, tuple[Checked, bool]]]:
    """Refuse a stand-in's ``outputs`` the engine would refuse from the application on every
    call (each case an incident, nothing completed): a name that is not an OUT or INOUT
    parameter of every call of it, or a value (one draw) its parameter's type does not take.
    Returns each stand-in's answered parameters' types (for checking later draws)."""
    apps = {a.id: a for a in package.applications}
    for process in processes:  # (the runtime compiles each process's own over the package's)
        apps.update({a.id: a for a in process.applications})
    types = declared_types(package)
    found: dict[str, dict[str, tuple[Checked, bool]]] = {}
    for app_id, work in works.items():
        if not work.outputs:
            continue
        app = apps.get(app_id)
        outs: dict[str, FormalParameter] | None = None
        for call in calls_of.get(app_id, ()):
            if app is None or takes_actuals_as_given(app):
                formals = implied_formals(call.actual_parameters)
            else:
                formals = app.formal_parameters
            these = {f.id: f for f in formals if f.mode is not ParameterMode.IN}
            outs = these if outs is None else {k: f for k, f in outs.items() if k in these}
        outs = outs or {}
        for name, sample in work.outputs.items():
            where = f"{scenario.source}: applications.{app_id}.outputs.{name}"
            formal = outs.get(name)
            if formal is None:
                known = ", ".join(sorted(outs)) or "none"
                raise ScenarioError(
                    f"{where}: application {app_id!r} has no OUT or INOUT parameter {name!r} "
                    f"(its OUT/INOUT parameters: {known})"
                )
            kind, is_array = basic_kind(formal.data_type, types)
            found.setdefault(app_id, {})[name] = (kind, is_array)
            drawn = sample(random.Random(0))
            try:
                coerce(drawn, kind, is_array)
            except ValueError as exc:
                raise ScenarioError(
                    f"{where}: {drawn!r} does not fit its {formal.mode.value} parameter: {exc}"
                ) from None
    return found


def _branches(
    scenario: Scenario, activities: Mapping[str, Activity], transitions: Sequence[Transition]
) -> dict[str, list[tuple[str, float]]]:
    """The ``branches`` section as (transition id, probability) per split, refused where it
    could not be applied as written: at a split that does not choose (parallel, event-based),
    on a way the split does not choose among (an exception's), one way named twice (by Id and
    by target), an exclusive split's probabilities not adding up to 1, an inclusive split's
    way above 1 (each of its ways is drawn with its own probability; a case in which none
    came up is drawn again, as the split takes at least one: ``simulator.Chooser``) or not
    named."""
    branches: dict[str, list[tuple[str, float]]] = {}
    for source, weights in scenario.branches.items():
        where = f"{scenario.source}: branches.{source}"
        if source not in activities:
            raise ScenarioError(f"{where}: the process has no such activity")
        activity = activities[source]
        out = [t for t in transitions if t.from_ == source]
        choosing = choosing_ways(out)
        if len(choosing) < 2:
            raise ScenarioError(
                f"{where}: the activity has {len(choosing)} way(s) out to choose among "
                "(exception ways not counted); nothing to choose"
            )
        if is_event_gateway(activity):
            raise ScenarioError(
                f"{where}: an event-based gateway (the first of its events to occur decides "
                "the way there); probabilities fit an Exclusive or Inclusive split"
            )
        if _parallel(activity, choosing):
            raise ScenarioError(
                f"{where}: its split is parallel (every way is taken); probabilities fit an "
                "Exclusive or Inclusive split"
            )
        exclusive = _exclusive(activity)
        named = ", ".join(f"{t.id} (to {t.to})" for t in choosing)
        ways: list[tuple[str, float]] = []
        keys: dict[str, str] = {}  # transition id -> the key that named it
        for key, weight in weights.items():
            at = f"{where}.{key}"
            hits = (
                [t for t in out if t.id == key]
                or [t for t in choosing if t.to == key]
                or [t for t in out if t.to == key]
            )
            if len(hits) != 1:
                why = "no" if not hits else "more than one"
                raise ScenarioError(
                    f"{at}: {why} transition of {source!r} has that Id or target "
                    f"(its ways: {named})"
                )
            way = hits[0]
            if way not in choosing:
                raise ScenarioError(
                    f"{at}: transition {way.id!r} (to {way.to}) handles an exception (taken "
                    f"when it occurs), not a way the split chooses (its ways: {named})"
                )
            if way.id in keys:
                raise ScenarioError(
                    f"{at}: names transition {way.id!r} (to {way.to}), as "
                    f"{keys[way.id]!r} does; give each way once"
                )
            keys[way.id] = str(key)
            if not exclusive and weight > 1.0:
                raise ScenarioError(
                    f"{at}: {weight:g} is not a probability (between 0 and 1): each way of an "
                    "inclusive split is taken with its own probability"
                )
            ways.append((way.id, weight))
        total = sum(w for _, w in ways)
        if exclusive and abs(total - 1.0) > 1e-6:
            listed = ", ".join(f"{k} {w:g}" for k, w in weights.items())
            raise ScenarioError(
                f"{where}: the probabilities of an exclusive split add up to 1; these add up "
                f"to {total:g} ({listed}); a way left out is never taken"
            )
        left_out = [t for t in choosing if t.id not in keys]
        if not exclusive and left_out:
            # (the probabilities replace the conditions: a way not named would never be
            # taken, and a split that draws none draws again among those named)
            unnamed = ", ".join(f"{t.id} (to {t.to})" for t in left_out)
            raise ScenarioError(
                f"{where}: an inclusive split takes each of its ways with its own probability; "
                f"give every way one (0 for never): {unnamed} not named, a way left out is "
                "never taken"
            )
        branches[source] = ways
    return branches


#: what ``_runs_as`` says of an activity a person takes (a work item), and of a Tool
#: activity the engine runs by itself
PERSON, CALLS = "person", "calls"


def _runs_as(activity: Activity, named: Mapping[str, Activity], lanes: LanePerformers) -> str:
    """Who does ``activity``'s work, as the runtime compiles it (:mod:`wfengine.definition.modes`):
    :data:`PERSON` (a work item: a Manual start or finish of an activity that may wait for
    one, its lane's performers counted), :data:`CALLS` (a Tool activity the engine runs by
    itself), or else what the engine does at once there, as a message names it."""
    judged = lanes.shown(activity, named)[0]
    seen = {judged.id}
    body = judged.body
    while isinstance(body, ReferenceImplementation):  # judged by the activity it names
        target = named.get(body.activity_id)
        if target is None or target.id in seen:
            return PERSON  # deploying refuses it: nothing to judge here
        seen.add(target.id)
        body = target.body
    if isinstance(body, Route):
        return "a route (a gateway: cases pass it at once)"
    if isinstance(body, Event):
        return "an event (it waits for its trigger, or happens at once)"
    if isinstance(body, SubFlowImplementation):
        return "a subflow call (its time is the called process's)"
    if isinstance(body, BlockActivity):
        return "a block activity (its time is its activities')"
    manual = Mode.MANUAL in modes(judged.model_copy(update={"body": body}))
    if isinstance(body, TaskImplementation):
        if body.task is TaskKind.APPLICATION or body.tools:
            return PERSON if manual else CALLS
        if body.task is TaskKind.RECEIVE:
            return "a receive task (it waits for its message)"
        if body.task is TaskKind.SCRIPT and body.script:
            # (a Manual start or finish puts a person's work item before or after it)
            return PERSON if manual else "a script task (the engine runs its assignments at once)"
    if manual:
        return PERSON
    return "an automatic activity with no application (the engine completes it at once)"


def _check_work(
    scenario: Scenario, works: Mapping[str, Work], steps: Mapping[str, Step], lanes: LanePerformers
) -> frozenset[str]:
    """Refuse what ``activities.<id>`` gives an activity that would not use it (a route's
    duration, a script's outputs: silently nothing otherwise); the Tool activities the
    engine runs by itself, whose duration is their calls' time."""
    calls: set[str] = set()
    for key, work in works.items():
        activity = steps[key].activity
        runs = _runs_as(activity, steps[key].named, lanes)
        if runs == PERSON:
            continue
        where = f"{scenario.source}: activities.{key}"
        raw = scenario.activities[key]
        if runs == CALLS:
            calls.add(key)
            if work.outputs:
                apps = sorted({c.application_id for c in _tools_of(activity)})
                raise ScenarioError(
                    f"{where}.outputs: {key!r} is a Tool activity the engine runs by itself: "
                    f"what it writes is its applications' answer (give it under "
                    f"applications.{apps[0] if apps else '<application>'}.outputs)"
                )
            if isinstance(raw, Mapping) and "priority" in raw:
                raise ScenarioError(
                    f"{where}.priority: {key!r} is a Tool activity the engine runs by itself; "
                    "a priority orders the work waiting for people"
                )
            continue
        given = [
            name
            for name, there in (
                ("duration", work.duration is not None),
                ("outputs", bool(work.outputs)),
                ("priority", isinstance(raw, Mapping) and "priority" in raw),
            )
            if there
        ]
        if given:
            raise ScenarioError(
                f"{where}.{given[0]}: {key!r} is {runs}; no person takes it, so it has no "
                f"{given[0]} to give (a duration, outputs and a priority fit an activity a "
                "person takes; a duration also fits a Tool activity: its applications' call)"
            )
    return frozenset(calls)


def _tools_of(activity: Activity) -> tuple[Any, ...]:
    body = activity.body
    return body.tools if isinstance(body, TaskImplementation) else ()


def _performers(
    package: Package, processes: Sequence[WorkflowProcess]
) -> dict[str, dict[str, str]]:
    """What ``resources`` may size, each with the activities it performs and who does their
    work (:func:`_runs_as`): the declared participants and every performer an activity has at
    run time, its pool lane's included when it names none (the engine offers its work to
    them, :mod:`wfengine.definition.lanes`), in the processes a run starts (the process and
    those its subflows call)."""
    found: dict[str, dict[str, str]] = {p.id: {} for p in package.participants}
    lanes = LanePerformers(package)
    for process in processes:
        for p in process.participants:
            found.setdefault(p.id, {})
        activities = {a.id: a for a in all_activities(process)}
        for activity in activities.values():
            for performer in lanes.shown(activity, activities)[0].performers:
                runs = _runs_as(activity, activities, lanes)
                found.setdefault(performer, {})[activity.id] = runs
    return found


def _sized_for_nobody(participant: str, performs: Mapping[str, str]) -> str | None:
    """Why people sized for ``participant`` would never work (its activities are all ones no
    person takes: a Tool activity the engine runs by itself, an automatic one), else None.
    A participant that performs no activity is left alone: who works as it is not known
    here (a performer expression may name it)."""
    if not performs or PERSON in performs.values():
        return None
    which = "; ".join(
        f"{a!r} is {'a Tool activity the engine runs by itself' if r == CALLS else r}"
        for a, r in sorted(performs.items())
    )
    return (
        f"resources.{participant}: no person takes the work of the activities it performs "
        f"({which}), so its people would stand idle; size the performers of the activities "
        "people take"
    )


def step_labels(package: Package, process: WorkflowProcess) -> dict[tuple[str, str], str]:
    """(called process, activity id) -> ``PROCESS/ACTIVITY`` for the steps of a called
    process whose id another of the run's processes uses too: the report keeps them apart
    (an id no other process repeats stays as it is)."""
    return labels_of(called_processes(package, process))


def called_processes(package: Package, process: WorkflowProcess) -> list[WorkflowProcess]:
    """``process`` and the processes of ``package`` its subflows call, and theirs in turn
    (a subflow into another package is that package's affair): their steps run in a
    simulation too, so a scenario may time them and size their performers."""
    found = [process]
    seen = {process.id}
    for proc in found:  # (grows as it goes: breadth first)
        for activity in all_activities(proc):
            body = activity.body
            if not isinstance(body, SubFlowImplementation) or body.package_ref:
                continue
            if body.process_id in seen:
                continue
            try:
                found.append(package.process(body.process_id))
            except KeyError:
                continue  # deploying refuses it
            seen.add(body.process_id)
    return found


def _refuse_shared_ids(scenario: Scenario, owners: Mapping[str, Sequence[str]]) -> None:
    """An activity id of more than one of the run's processes is ambiguous where ``branches``
    names it (the engine tells the split chooser an activity by its id alone; ``activities``
    tells them apart as ``PROCESS/ACTIVITY``: :mod:`wfengine.simulation.step_keys`)."""
    for key in scenario.branches:
        there = owners.get(str(key), ())
        if len(there) > 1:
            raise ScenarioError(
                f"{scenario.source}: branches.{key}: processes {', '.join(map(repr, there))} "
                "each have an activity of that id; the scenario cannot tell them apart "
                "(rename one in the definition)"
            )


def _exclusive(activity: Activity) -> bool:
    """Does ``activity`` take exactly one way out (an Exclusive split, or an exclusive Route)?
    (An Inclusive split's probabilities are each way's own.)"""
    return activity.split_gateway is GatewayType.EXCLUSIVE


def _parallel(activity: Activity, out: Sequence[Transition]) -> bool:
    """Does ``activity`` take every way out, whatever the data (a Parallel split, or no split
    and no condition on any way)?"""
    gateway = activity.split_gateway
    if gateway is not None:
        return gateway is GatewayType.PARALLEL
    return all(t.condition is None for t in out)
