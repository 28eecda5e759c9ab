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
from wfengine.runtime.compiled import KIND_MESSAGE, CActivity, CompiledProcess


def instantiates(ca: CActivity) -> bool:
    """Does a message start the process at ``ca``, kept on the new instance for ``ca`` (or
    the catch it leads to) to take as it begins: a receive task with ``Instantiate="true"``,
    or an event-based gateway with ``Instantiate="true"`` (its catch of that message takes
    it, withdrawing the rival ways as when the message comes to a gateway reached)?"""
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
]
