"""What a refused start or a refused look-up of a deployed process adds to its error: the
stored versions that do not start in place of a refused deploy, and a validity period that is
over (``EngineBase.deployed`` and ``EngineBase.startable``, whose module holds the commands'
machinery and was at its size limit); and the start of an older version, valid now, when the
latest deployed is not (:func:`valid_older`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from wfengine.errors import DeployError, IllegalStateError
from wfengine.runtime.deployment import DeployedProcess
from wfengine.runtime.store import Store


def not_in_its_place(stored: Sequence[int], refused: DeployError) -> DeployError:
    """``refused``, saying that the stored versions (``stored``) do not start in its place."""
    if not stored:
        return refused
    return DeployError(
        f"{refused}; the stored version {stored[-1]} is not started in its place (deploy a "
        f"fixed version, or start version {stored[-1]} by number)"
    )


def ended(deployed: DeployedProcess, now: datetime) -> bool:
    """Whether ``deployed``'s validity period is over at ``now`` (its ValidTo passed): no
    instance will ever start on it again, unlike one whose period begins later."""
    return deployed.valid_to is not None and deployed.valid_to <= now


def over(single: bool) -> str:
    """What a refused start adds when waiting cannot help: the period of the version asked
    for (``single``: another version may be valid), or of every version, has ended, so only
    a new version starts instances (a refusal naming the periods alone left the host
    guessing what to do)."""
    new = "deploy a new version of the process (with a later ValidTo, or none)"
    if single:
        return f"; its validity period is over: start the version valid now, or {new}"
    return f"; every version's validity period is over: {new} to start instances"


def valid_older(
    store: Store, process_id: str, version: int | None, deployed: DeployedProcess, now: datetime
) -> DeployedProcess:
    """The version a start of ``process_id`` runs on when ``deployed`` (``version``, or the
    latest) is not valid at ``now``: without ``version``, the newest older one valid now;
    else, or when none is, an :class:`~wfengine.errors.IllegalStateError` naming the periods
    (``EngineBase.startable``'s rare path, moved here: its module was at its size limit)."""
    if version is not None:
        subject = f"process {process_id!r} version {version}"
        hint = over(single=True) if ended(deployed, now) else ""
        current = f"{deployed.window()}, not now ({now}){hint}"
        raise IllegalStateError(subject, current, "start")
    windows = [f"v{deployed.version} {deployed.window()}"]
    all_over = ended(deployed, now)  # every version's period ended (none starts later)
    for older in reversed(store.versions(process_id)):
        if older >= deployed.version:
            continue
        try:
            found = store.deployment(process_id, older)
        except DeployError:  # stored by an earlier wfengine: nothing starts on it
            continue
        if found is not None and found.valid_at(now):
            return found
        if found is not None and len(windows) < 5:
            windows.append(f"v{older} {found.window()}")
        all_over = all_over and (found is None or ended(found, now))
    current = f"valid at no other time than its versions' ({'; '.join(windows)})"
    hint = over(single=False) if all_over else ""
    raise IllegalStateError(f"process {process_id!r}", f"{current}, not now ({now}){hint}", "start")
