"""What a message or signal carries, checked against the processes that take it.

``message send``, ``signal send`` and ``run --script`` message and signal steps merge their
data into the instances that take them, as ``instance start`` and ``workitem complete`` write
theirs; so they are checked the same way (:mod:`wfengine.cli.declared_data`: each NAME a
declaration of the process, each VALUE converted to its type, ``--allow-undeclared`` for
other names). Which process that is depends on the event:

* a message sent to an instance: that instance's process (its deployed version);
* a message that starts an instance: the process whose Message start event takes it, at the
  version that starts (the newest valid now: :func:`starting_takers`);
* a signal, which every waiting instance takes, and a ``run --script`` message, which goes
  to whichever instance of the run's tree catches it: every process that can take it, and
  they must read the data the same way (one process declaring ``n`` an INTEGER and another a
  STRING cannot both be given one value), else it is a usage error naming both (with their
  versions: ``'order' v1 and 'order' v2``). For a signal those are the processes it reaches
  now, as :meth:`~wfengine.runtime.engine.Engine.broadcast_signal` reaches them
  (:func:`signal_data`): every process version with a running instance waiting for it, and
  each process it starts, by a Signal start event of that name, at the version that starts
  (the newest valid now, as for a message start: :func:`starting_takers`). A version none of
  whose instances waits takes nothing, so it does not count (nor does one whose waiting
  instances are suspended: a signal is not kept), however many of its catches could take it.

With ``--allow-undeclared``, a name some of them declare and others do not is read by the
declarations (which must agree), and the others hold that value as given, as the engine
delivers one value to all, converting it only where declared (:func:`agreed`): ``code=007``
is ``"007"`` for a process that declares ``code`` a STRING and for one that does not
declare it, not the JSON ``7`` the undeclared reading would give.

A signal or message no process takes is not checked: it is lost, or refused, whatever it
carries. ``--correlate KEY=VALUE`` texts are passed to the engine, which reads them by the key
field's declared type in every stored version correlated by KEY (each reading is looked up,
as for a host's call; a VALUE no version catching the message can read is a usage error),
so ``--correlate phone=13800000101`` finds the instance whose STRING ``phone`` holds that
text, also when a later version made ``phone`` an INTEGER.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import click

from wfengine.cli.assignments import parse_value, split_assignments
from wfengine.cli.declared_data import declarations, declared_json, declared_values

if TYPE_CHECKING:
    from wfengine.definition.model import Package, WorkflowProcess
    from wfengine.runtime.compiled import CompiledProcess
    from wfengine.runtime.deployment import DeployedProcess
    from wfengine.runtime.engine import Engine

#: what takes an event: a catch of a message, a catch of a signal (or a Signal start event),
#: a Message start event, a Signal start event alone
Taking = Literal["message", "signal", "start", "signal start"]


class Taker(NamedTuple):
    """A process that may take an event: its package, its definition, its compiled form
    and, when it is a deployed one, its version (named in messages)."""

    package: Package
    definition: WorkflowProcess
    compiled: CompiledProcess
    version: int | None = None


class Reading(NamedTuple):
    """A process's reading of some data: its id, its version (None for one not deployed),
    the data, and which of the data's names it declares (read by their declared types; it
    keeps the others as given, as the engine keeps an undeclared field)."""

    process_id: str
    version: int | None
    data: dict[str, Any]
    declared: frozenset[str]


_MISSING = object()


def takes(compiled: CompiledProcess, taking: Taking, name: str) -> bool:
    """Can ``compiled`` take event ``name`` (as the engine decides it: a message start is a
    Message start event, a receive task with ``Instantiate="true"`` or an event-based gateway
    with ``Instantiate="true"`` leading to a catch of it; a signal is taken by
    a catch, an attached event, an event sub-process, or a Signal start event, where a
    broadcast starts an instance; ``"signal start"`` asks for that start event alone)?"""
    from wfengine.runtime.start_points import message_start_points, signal_starts

    if taking == "message":
        return name in compiled.messages_caught()
    if taking == "start":
        return bool(message_start_points(compiled, name))
    if taking == "signal start":
        return bool(signal_starts(compiled, name))
    from wfengine.runtime.navigation.events import catches_signal

    # every graph: activity_graph keeps the first of each Id, so an activity set whose every
    # Id another set repeats (TIBCO files) is in none of its entries
    graphs = compiled.graphs()
    return (
        any(catches_signal(a, name) for g in graphs for a in g.activities)
        or any(
            s.trigger.trigger == "Signal" and s.trigger.name == name
            for g in graphs
            for s in g.event_subs
        )
        or bool(signal_starts(compiled, name))
    )


def deployed_takers(
    engine: Engine, taking: Taking, name: str, *, every_version: bool = False
) -> list[Taker]:
    """The deployed processes that can take event ``name``: the version of each that starts
    instances now (``engine.startable``: the newest valid now, what a new instance starts
    on), or with ``every_version`` every version an instance may still run (a signal reaches
    them all). Why not the latest stored version: one deployed ahead of its ``ValidFrom``
    is not what starts now, and data checked against it passed where the engine then
    refused it for the version that did start (``--set`` must fit: exit 2). A process with
    no version valid now takes nothing (nothing new starts on it), and a stored version
    that no longer compiles takes nothing (its own instances report it)."""
    from wfengine.errors import DeployError, WorkflowError

    found: list[Taker] = []
    for process_id in engine.store.deployed_process_ids():
        if every_version:
            versions: list[DeployedProcess] = []
            for version in engine.store.versions(process_id):
                try:
                    versions.append(engine.deployed(process_id, version))
                except DeployError:
                    continue
        else:
            try:
                versions = [engine.startable(process_id)]
            except WorkflowError:  # (none valid now, refused, or no longer compiles)
                continue
        found.extend(
            Taker(d.package, d.definition, d.compiled, d.version)
            for d in versions
            if takes(d.compiled, taking, name)
        )
    return found


def starting_takers(
    engine: Engine, name: str, taking: Literal["start", "signal start"] = "start"
) -> list[Taker]:
    """The process a start by message ``name`` starts, at the version it starts on, as
    :meth:`~wfengine.runtime.engine.Engine.start_by_message` chooses them: each deployed
    process's newest version valid now that has a Message start event for ``name`` (a
    version deployed ahead of its ``ValidFrom`` that renamed the message leaves the one
    valid now taking it), so ``--set`` is read by the declarations of the version that takes
    it. A process the engine will not start (no version valid now, its latest deploy
    refused) takes nothing here: the engine then refuses the start, saying why (exit 1).
    With ``taking="signal start"``, those a broadcast of signal ``name`` starts, as
    :meth:`~wfengine.runtime.engine.Engine.broadcast_signal` chooses them (the version valid
    now, with a Signal start event of that name; a process with none starts nothing)."""
    from wfengine.errors import WorkflowError

    found: list[Taker] = []
    for process_id in engine.store.deployed_process_ids():
        try:
            deployed = engine.startable(process_id)
        except WorkflowError:
            continue
        if takes(deployed.compiled, taking, name):
            found.append(
                Taker(deployed.package, deployed.definition, deployed.compiled, deployed.version)
            )
    return found


def package_takers(package: Package, taking: Taking, name: str) -> list[Taker]:
    """The processes of ``package`` that can take event ``name``, in definition order (one
    that does not compile takes nothing: the engine will refuse it when it is deployed)."""
    from wfengine.errors import WorkflowError
    from wfengine.runtime.compiler import compile_process

    found: list[Taker] = []
    for process in package.workflow_processes:
        try:
            compiled = compile_process(package, process)
        except WorkflowError:
            continue
        if takes(compiled, taking, name):
            found.append(Taker(package, process, compiled))
    return found


def instance_data(
    engine: Engine, instance_id: str, raw: Mapping[str, str], *, allow_undeclared: bool
) -> dict[str, Any]:
    """``--set`` text for instance ``instance_id``, checked against its process's version."""
    if not raw:
        return {}
    summary = engine.instance_summary(instance_id)
    deployed = engine.deployed(summary.process_id, summary.version)
    return declared_values(
        raw, deployed.package, deployed.definition, allow_undeclared=allow_undeclared
    )


def event_data(
    takers: Sequence[Taker],
    raw: Mapping[str, str],
    what: str,
    *,
    allow_undeclared: bool,
    exact: bool = False,
) -> dict[str, Any]:
    """``--set`` text for event ``what``, checked against every process in ``takers`` (see
    the module notes); none: VALUE as JSON when it parses, as for an undeclared name. When
    several take it, one that refuses the data is named (with its version) in the error.
    ``exact``: see :func:`agreed`."""
    readings: list[Reading] = []
    for t in takers:
        try:
            data = declared_values(raw, t.package, t.definition, allow_undeclared=allow_undeclared)
        except click.BadParameter as exc:
            if len(takers) < 2:
                raise
            # (its version, when another version of it takes the event too)
            twice = sum(k.definition.id == t.definition.id for k in takers) > 1
            process = _process(t.definition.id, t.version if twice else None)
            raise click.BadParameter(
                f"{what} reaches process {process}: {exc.message}", param_hint=exc.param_hint
            ) from None
        readings.append(_reading(t, data))
    return agreed(
        readings,
        what,
        "--set",
        fallback=lambda: {k: parse_value(v, name=k) for k, v in raw.items()},
        exact=exact,
    )


def _reading(taker: Taker, data: dict[str, Any]) -> Reading:
    """``taker``'s reading ``data``, with the names of it ``taker`` declares (a name it does
    not declare is kept as given: it is no declaration's id, else it would be read by it)."""
    declared = frozenset(declarations(taker.package, taker.definition)) & data.keys()
    return Reading(taker.definition.id, taker.version, data, declared)


def event_json(
    takers: Sequence[Taker], values: Mapping[str, Any], what: str, *, allow_undeclared: bool
) -> dict[str, Any] | None:
    """A ``--script`` step's JSON ``set`` for event ``what``, checked against every process
    in ``takers``; None when there are none (the caller checks it as before)."""
    if not takers:
        return None
    return agreed(
        [
            _reading(
                t,
                declared_json(
                    values,
                    t.package,
                    t.definition,
                    allow_undeclared=allow_undeclared,
                    option="--script",
                    where=what,
                ),
            )
            for t in takers
        ],
        what,
        "--script",
        fallback=dict,
    )


def signal_data(
    engine: Engine, name: str, raw: Mapping[str, str], *, allow_undeclared: bool
) -> dict[str, Any]:
    """``--set`` text for signal ``name``, checked against the process versions the signal
    reaches now (:func:`reached_takers`; see the module notes). First against every stored
    version that takes it, which costs no instance reads: when they all read it the same
    way (exactly: declared or not), so do those it reaches. Else (one refuses it, or two
    read it differently) against
    those it reaches: a version with no instance waiting for it, which the signal starts
    nothing on, no longer counts. None reached: the signal is lost, and its data with it
    (VALUE as JSON, as for an undeclared name)."""
    what = f"signal {name!r}"
    every = deployed_takers(engine, "signal", name, every_version=True)
    try:  # (exact: a value one declares and another keeps as given may differ: see agreed)
        return event_data(every, raw, what, allow_undeclared=allow_undeclared, exact=True)
    except click.BadParameter:
        reached = reached_takers(engine, name, every)
    return event_data(reached, raw, what, allow_undeclared=allow_undeclared)


def reached_takers(engine: Engine, name: str, takers: Sequence[Taker]) -> list[Taker]:
    """The process versions a broadcast of signal ``name`` reaches now, as the engine
    reaches them: those of ``takers`` (every deployed version that takes it) with a running
    instance waiting for it (:func:`waiting_takers`), and the version each process it starts
    starts on (:func:`starting_takers`), in ``takers``' order. Why not every process that
    catches it: the signal is transient, so a process none of whose instances waits takes
    nothing; and the process a Signal start event starts takes the data whether or not
    anything waits."""
    starting = starting_takers(engine, name, "signal start")
    wanted = {_key(t) for t in waiting_takers(engine, name, takers)}
    wanted.update(_key(t) for t in starting)
    reached = [t for t in takers if _key(t) in wanted]
    found = {_key(t) for t in reached}
    return reached + [t for t in starting if _key(t) not in found]


def waiting_takers(engine: Engine, name: str, takers: Sequence[Taker]) -> list[Taker]:
    """Those of ``takers`` (deployed versions that take signal ``name``) with a running
    instance waiting for it now (a suspended one takes nothing), in ``takers``' order."""
    from wfengine.runtime.navigation.events import signal_waiters

    wanted = {_key(t) for t in takers}
    reached: set[tuple[str, int | None]] = set()
    seen: set[tuple[str, int]] = set()
    for instance_id in signal_waiters(engine.store, name):
        summary = engine.store.instance_summary(instance_id)
        key = (summary.process_id, summary.version)
        if key in seen:
            continue
        seen.add(key)
        if key in wanted:
            reached.add(key)
            if len(reached) == len(wanted):
                break  # (every version counts: no need to look at the other waiters)
    return [t for t in takers if _key(t) in reached]


def _key(taker: Taker) -> tuple[str, int | None]:
    return taker.definition.id, taker.version


def check_correlation_values(engine: Engine, message: str, pairs: tuple[str, ...]) -> None:
    """Refuse, as a usage error (exit 2), ``--correlate KEY=VALUE`` pairs whose VALUE no
    stored version correlated by KEY that catches ``message`` can read by KEY's declared
    type (``abc`` for an INTEGER key): the first such version's error, naming KEY and the
    type. Only a check: the engine reads the texts for the lookup, once
    (:func:`correlated_target`). When no version is correlated by the keys, nothing here:
    the lookup finds nothing, and says so."""
    raw = split_assignments(pairs, "--correlate")
    refused: click.BadParameter | None = None
    takers = deployed_takers(engine, "message", message, every_version=True)
    for pkg, p, compiled, _ in takers:
        if not set(raw) <= set(compiled.correlation_keys):
            continue
        try:
            declared_values(raw, pkg, p, allow_undeclared=True, option="--correlate")
        except click.BadParameter as exc:
            refused = refused or exc
            continue
        return  # (a version that reads them: its instances may hold them)
    if refused is not None:
        raise refused


def correlated_target(engine: Engine, message: str, pairs: tuple[str, ...]) -> str:
    """The one open instance ``--correlate`` names for ``message``, as
    :meth:`~wfengine.runtime.engine.Engine.correlated_instance` finds it for the VALUE texts
    (none: its :class:`~wfengine.errors.NotFoundError`, which shows a sensitive key's value as
    ``***``; several: its ``IllegalStateError``, exit 1). The engine reads each text by every
    stored version's key type, once. Why not the CLI's readings: each was read again by every
    version's types, so ``077``'s INTEGER reading 77, read as a STRING, found the case ``"77"``
    (another order's payment taken). :func:`check_correlation_values` refuses, as a usage
    error (exit 2), a VALUE no version correlated by KEY can read."""
    check_correlation_values(engine, message, pairs)
    return engine.correlated_instance(split_assignments(pairs, "--correlate"), message=message)


def agreed(
    found: Iterable[Reading],
    what: str,
    option: str,
    *,
    fallback: Callable[[], dict[str, Any]],
    exact: bool = False,
) -> dict[str, Any]:
    """The one data every process in ``found`` (each process's reading) is given, or
    ``fallback()`` when no process read it. The engine delivers one value of each name to
    all of them, converted by the declared type where a process declares the name and kept
    as given where it does not (``--allow-undeclared``); so each name must be read the same
    way (type and value) by every process that declares it, and that reading is the value,
    which a process not declaring it then holds as given (``code=007``, a STRING for one
    process and undeclared for another, is ``"007"`` for both: the undeclared reading, the
    JSON ``7``, would lose what the declaring process reads). Only a name no process
    declares takes the undeclared reading (JSON), the same for all. Processes that read a
    name differently, or of which one has it and another not (one reads it as the Name of
    a declaration with another id), are a usage error naming them (two versions of one
    process by their versions), since one value cannot be given in two types. ``exact``:
    every reading must be the same, declared or not (what holds for every subset of them:
    :func:`signal_data`)."""
    readings = list(found)
    if not readings:
        return fallback()
    data: dict[str, Any] = {}
    for name in dict.fromkeys(n for r in readings for n in r.data):
        lacking = next((r for r in readings if name not in r.data), None)
        if lacking is not None:
            having = next(r for r in readings if name in r.data)
            pair = sorted((having, lacking), key=readings.index)
            raise _differently(what, option, name, pair[0], pair[1])
        declaring = [r for r in readings if name in r.declared]
        deciding = declaring if declaring and not exact else readings
        first = deciding[0]
        for other in deciding[1:]:
            a, b = first.data[name], other.data[name]
            if type(a) is not type(b) or a != b:
                raise _differently(what, option, name, first, other)
        data[name] = first.data[name]
    return data


def _differently(
    what: str, option: str, name: str, one: Reading, other: Reading
) -> click.BadParameter:
    """The usage error for processes ``one`` and ``other`` reading ``name`` differently."""
    versioned = one.process_id == other.process_id
    first = _process(one.process_id, one.version if versioned else None)
    second = _process(other.process_id, other.version if versioned else None)
    a, b = one.data.get(name, _MISSING), other.data.get(name, _MISSING)
    return click.BadParameter(
        f"{what} reaches processes {first} and {second}, which read {name} differently "
        f"({_shown(a)} and {_shown(b)}): one value cannot be given in two types",
        param_hint=option,
    )


def _process(process_id: str, version: int | None) -> str:
    return f"{process_id!r}" if version is None else f"{process_id!r} v{version}"


def _shown(value: Any) -> str:
    return "no such field" if value is _MISSING else f"{type(value).__name__} {value!r}"
