"""Where an event from outside starts a new instance: the start points of a process's top
level that a message (:meth:`~wfengine.runtime.engine.Engine.start_by_message`) or a signal
(:meth:`~wfengine.runtime.engine.Engine.broadcast_signal`) starts one at.

Why a module of its own: the compiled graph knows its Message start events
(:meth:`~wfengine.runtime.compiled.CGraph.message_starts`); a receive task that instantiates
(``TaskReceive Instantiate="true"``, as BPMN tools draw a process started by a message) and
a Signal start event are ways in too, read from the definition, and the engine's commands
and the command line must agree on them.
"""

from __future__ import annotations

from wfengine.definition.graph import is_triggered_start
from wfengine.definition.model import TaskImplementation, TaskKind
from wfengine.runtime.compile_events import signal_name
from wfengine.runtime.compiled import KIND_MESSAGE, CActivity, CompiledProcess


def instantiates(ca: CActivity) -> bool:
    """Is ``ca`` a receive task with ``Instantiate="true"`` (its message starts the
    process)?"""
    body = ca.model.body
    if ca.kind != KIND_MESSAGE or not isinstance(body, TaskImplementation):
        return False
    if body.task is not TaskKind.RECEIVE or body.detail is None:
        return False
    return dict(body.detail.attrs).get("Instantiate", "").strip().lower() in ("true", "1")


def message_start_points(compiled: CompiledProcess, name: str) -> list[int]:
    """The indexes of the top-level start points message ``name`` starts an instance at: its
    Message start events, then its receive tasks with ``Instantiate="true"`` and no way in
    (such a task takes the message itself when the instance reaches it: at once)."""
    graph = compiled.graph
    found = list(graph.message_starts(name))
    for i in graph.starts:
        ca = graph.activities[i]
        if i not in found and ca.message == name and instantiates(ca):
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


__all__ = ["instantiates", "message_start_points", "signal_start_names", "signal_starts"]
