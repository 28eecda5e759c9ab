"""Where an event from outside starts a new instance: the start points of a process's top
level that a message (:meth:`~wfengine.runtime.engine.Engine.start_by_message`) or a signal
(:meth:`~wfengine.runtime.engine.Engine.broadcast_signal`) starts one at.

Why a module of its own: the compiled graph knows its Message start events
(:meth:`~wfengine.runtime.compiled.CGraph.message_starts`); a receive task that instantiates
(``TaskReceive Instantiate="true"``, as BPMN tools draw a process started by a message), an
event-based gateway that instantiates (``Route ExclusiveType="Event" Instantiate="true"``:
a process started by whichever of its messages comes first) and a Signal start event are
ways in too, read from the definition, and the engine's commands and the command line must
agree on them.
"""

from __future__ import annotations

from wfengine.definition.graph import is_triggered_start
from wfengine.definition.instantiating import instantiating_gateway, instantiating_receive
from wfengine.runtime.compile_events import signal_name
from wfengine.runtime.compiled import KIND_MESSAGE, CActivity, CGraph, CompiledProcess, CTransition


def instantiates(ca: CActivity) -> bool:
    """Does a message start the process at ``ca``, kept on the new instance for ``ca`` (or
    the catch it leads to) to take as it begins: a receive task with ``Instantiate="true"``,
    or an event-based gateway with ``Instantiate="true"`` (its catch of that message begins
    first and takes it, the rival ways withdrawn before they begin: :func:`started_catch_first`)?"""
    if instantiating_gateway(ca.model):
        return True
    return ca.kind == KIND_MESSAGE and instantiating_receive(ca.model)


def gateway_messages(compiled: CompiledProcess, i: int) -> list[str]:
    """The messages the ways of gateway ``i`` of ``compiled``'s top level lead to a catch of
    (an intermediate Message catch event or a receive task), in the order of its ways."""
    graph = compiled.graph
    found: list[str] = []
    for ct in graph.activities[i].normal:
        target = graph.activities[ct.target]
        if target.kind == KIND_MESSAGE and target.message and target.message not in found:
            found.append(target.message)
    return found


def started_catch_first(
    graph: CGraph, ca: CActivity, chosen: list[CTransition], kept: str
) -> list[CTransition]:
    """The ways ``chosen`` of event-based gateway ``ca`` of top-level ``graph`` in the order
    they begin: when ``ca`` instantiates and has no way in (the instance's start: a message
    started it there, or one came and was kept before the gateway was reached, as when an
    instance started by hand is deferred to a worker), the ways to a catch of ``kept`` (the
    oldest message kept on the instance) first. That catch takes the message as it begins and
    drops the rivals' queued begins: a person's task there is never offered and withdrawn, a
    timer never armed and disarmed, an automatic way listed first does not win. Any other
    gateway's ways begin in their order (a message kept before it was reached wins only for a
    catch listed before what does not wait)."""
    if ca.index not in graph.starts or not instantiating_gateway(ca.model):
        return chosen
    acts = graph.activities

    def takes(ct: CTransition) -> bool:
        target = acts[ct.target]
        return target.kind == KIND_MESSAGE and target.message == kept

    return [ct for ct in chosen if takes(ct)] + [ct for ct in chosen if not takes(ct)]


def message_start_points(compiled: CompiledProcess, name: str) -> list[int]:
    """The indexes of the top-level start points message ``name`` starts an instance at: its
    Message start events, then its receive tasks with ``Instantiate="true"`` and no way in
    (such a task takes the message itself when the instance reaches it: at once), and its
    event-based gateways with ``Instantiate="true"`` and no way in, one of whose ways leads
    to a catch of ``name`` (that catch takes it as the gateway's ways begin)."""
    graph = compiled.graph
    found = list(graph.message_starts(name))
    for i in graph.starts:
        ca = graph.activities[i]
        if i in found or not instantiates(ca):
            continue
        if ca.message == name or (
            instantiating_gateway(ca.model) and name in gateway_messages(compiled, i)
        ):
            found.append(i)
    return found


def signal_starts(compiled: CompiledProcess, name: str) -> list[int]:
    """The Signal start events of ``compiled``'s top level that signal ``name`` starts (its
    ``TriggerResultSignal``'s Name, else the event's Name or Id), by index: a broadcast
    starts an instance there as a message starts one at a Message start event."""
    graph = compiled.graph
    found: list[int] = []
    for i in graph.starts:
        model = graph.activities[i].model
        event = model.event
        if (
            event is not None
            and is_triggered_start(model)
            and event.trigger == "Signal"
            and signal_name(model, event)[0] == name
        ):
            found.append(i)
    return found


def signal_start_names(compiled: CompiledProcess) -> frozenset[str]:
    """The names of the signals that start ``compiled`` (its top-level Signal start events,
    named as :func:`signal_starts` reads them): made once per deployed version
    (:attr:`~wfengine.runtime.deployment.DeployedProcess.signal_start_names`), so that a
    broadcast passes over the processes no signal starts with a set lookup."""
    graph = compiled.graph
    names: set[str] = set()
    for i in graph.starts:
        model = graph.activities[i].model
        event = model.event
        if event is not None and is_triggered_start(model) and event.trigger == "Signal":
            names.add(signal_name(model, event)[0])
    return frozenset(names)


__all__ = [
    "gateway_messages",
    "instantiates",
    "message_start_points",
    "signal_start_names",
    "signal_starts",
    "started_catch_first",
]
