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
    no version valid now has one: the processes passed over (``broken``), and those whose
    latest stored version has one but is not the version valid now (with its period: the
    message starts it from then on)."""
    where = "in the deployed processes"
    if broken:  # the message may be one of theirs: say they were not looked into
        shown = ", ".join(map(repr, broken))
        where += f"; passed over, their latest stored version no longer compiles: {shown}"
    later: list[str] = []
    for process_id in engine.store.deployed_process_ids():
        try:
            latest = engine.store.deployment(process_id)
        except DeployError:
            continue
        if latest is None or not message_start_points(latest.compiled, name):
            continue
        try:
            now = engine.startable(process_id)  # (it starts: startable_now found it)
        except WorkflowError:
            continue  # (deployed again since)
        if now.version != latest.version:
            window, valid = latest.window(), f"v{now.version} is the version valid now"
            later.append(f"{process_id!r} v{latest.version}, {window} ({valid})")
    if later:
        where += f"; only a version not valid now has it: {'; '.join(later)}"
    return where


__all__ = ["not_started_by", "startable_now"]
