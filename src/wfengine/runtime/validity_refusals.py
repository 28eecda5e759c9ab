"""What a refused start or a refused look-up of a deployed process adds to its error: the
stored versions that do not start in place of a refused deploy, and a validity period that is
over (``EngineBase.deployed`` and ``EngineBase.startable``, whose module holds the commands'
machinery and was at its size limit).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from wfengine.errors import DeployError
from wfengine.runtime.deployment import DeployedProcess


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
