"""Which process a message starts (:meth:`~wfengine.runtime.engine.Engine.start_by_message`):
each deployed process's version valid now, looked into for a start point of that message.

Why a module of its own: the version a message start starts on is the one a start by
process id starts on (:meth:`~wfengine.runtime.engine_base.EngineBase.startable`, the
newest valid now), so that is the version whose start events are looked into; looking into
the latest stored version instead missed the message of the version valid now when a newer
one, deployed ahead of its ``ValidFrom``, renamed it. When no process takes the message,
what the error says (a process whose latest stored version takes it from a later date, one
that no longer compiles) is worked out here too, off the path of a start that finds one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from wfengine.definition.graph import is_triggered_start
from wfengine.errors import DeployError, IllegalStateError, NotFoundError, WorkflowError
from wfengine.runtime.deployment import DeployedProcess
from wfengine.runtime.start_points import message_start_points

if TYPE_CHECKING:
    from wfengine.runtime.engine_base import EngineBase


def startable_now(
    engine: EngineBase, name: str, broken: list[str]
) -> Iterator[tuple[str, DeployedProcess]]:
    """Each deployed process's version valid now (``engine.startable``), with its id. A
    process that cannot start now (no version valid now, its latest deploy refused) is
    passed over, unless its latest stored version takes message ``name``: then that is why
    the message starts nothing, raised as ``startable`` says it. One whose latest stored
    version no longer compiles (stored by an earlier wfengine) is added to ``broken``, for
    the error to name when no other process takes the message."""
    for process_id in engine.store.deployed_process_ids():
        try:
            yield process_id, engine.startable(process_id)
            continue
        except NotFoundError:
            continue  # (undeployed since the ids were read)
        except (DeployError, IllegalStateError) as exc:
            cannot = exc
        try:
            latest = engine.store.deployment(process_id)
        except DeployError:
            broken.append(process_id)
            continue
        if latest is not None and message_start_points(latest.compiled, name):
            raise cannot


def not_started_by(engine: EngineBase, name: str, broken: list[str]) -> str:
    """Where a message start event ``name`` was looked for, for the ``NotFoundError`` when
    no version valid now has one: the processes passed over (``broken``), and the stored
    versions that start by it but are not the version starting instances now
    (:func:`stored_starters`): a superseded one, or one a period holds later, each with the
    version that starts now and what starts that. Why every stored version, not the
    latest's alone: a version that renamed its start message left the message of the one it
    superseded unnamed, and the advice to deploy the file that starts by it would have made
    that file the newest version, rolling the process back; said plainly here instead."""
    where = "in the deployed processes"
    if broken:  # the message may be one of theirs: say they were not looked into
        shown = ", ".join(map(repr, broken))
        where += f"; passed over, their latest stored version no longer compiles: {shown}"
    said: list[str] = []
    rolled: list[str] = []
    for process_id, versions, now in stored_starters(engine, name):
        starts = _starts_now(now) if now is not None else "no version starts instances now"
        for deployed in versions:
            if now is not None and deployed.version < now.version:
                whose = "superseded"
                rolled.append(f"{process_id!r} (v{now.version})")
            else:
                whose = deployed.window()
            said.append(f"{process_id!r} v{deployed.version}, {whose} ({starts})")
    if said:
        where += (
            f"; only a version that does not start instances now starts by it: {'; '.join(said)}"
        )
    if rolled:
        where += (
            f"; deploying a file whose process starts by it makes a new version that starts "
            f"instances in place of {', '.join(rolled)} (a rollback): do it only if that is "
            "what you mean"
        )
    return where


def stored_starters(
    engine: EngineBase, name: str
) -> list[tuple[str, list[DeployedProcess], DeployedProcess | None]]:
    """Per deployed process some stored version of which starts by message ``name`` though
    the version starting instances now does not: its id, those versions (oldest first) and
    the version starting now (None: none does). Versions that no longer compile are passed
    over."""
    found: list[tuple[str, list[DeployedProcess], DeployedProcess | None]] = []
    for process_id in engine.store.deployed_process_ids():
        try:
            now: DeployedProcess | None = engine.startable(process_id)
        except WorkflowError:
            now = None
        if now is not None and message_start_points(now.compiled, name):
            continue  # (it starts now: not this error's)
        versions: list[DeployedProcess] = []
        for version in engine.store.versions(process_id):
            try:
                deployed = engine.store.deployment(process_id, version)
            except DeployError:
                continue
            if deployed is not None and message_start_points(deployed.compiled, name):
                versions.append(deployed)
        if versions:
            found.append((process_id, versions, now))
    return found


def _starts_now(now: DeployedProcess) -> str:
    """The version starting instances now and what starts it (its Message and Signal
    start events' names; else its process id alone)."""
    graph = now.compiled.graph
    messages = sorted(
        {
            m
            for i in graph.starts
            if (m := graph.activities[i].message) is not None
            and is_triggered_start(graph.activities[i].model)
        }
    )
    by = [f"message {m!r}" for m in messages]
    by += [f"signal {s!r}" for s in sorted(now.signal_start_names)]
    what = ", ".join(by) if by else "its process id (no message or signal starts it)"
    return f"v{now.version} starts instances now, by {what}"


__all__ = ["not_started_by", "startable_now", "stored_starters"]
