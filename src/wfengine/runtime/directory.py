"""Who may perform a participant's work: the protocol the engine asks, and a trivial directory.

The engine asks "who are the members of this participant?" when it offers a work item. It
passes the participant's Id as the activity's Performer names it and, when the package declares
that participant, its declaration (Name, type), so that a directory can match by Name or treat
a HUMAN participant as a user. The organisation directory of :mod:`wfengine.worklist` uses
both; :class:`StaticDirectory` uses the Id only, and resolves a participant it does not know to
itself, so a performer naming a user id works without any setup.

A directory written for the one-argument form (``members(participant_id)``) still works: the
engine adapts it, with a :class:`DeprecationWarning`.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Iterable, Mapping
from typing import Protocol, runtime_checkable

from wfengine.definition.model import Participant


@runtime_checkable
class Directory(Protocol):
    """Who may perform a participant's work: the engine asks it when it offers a
    work item. ``participant`` is the declaration of ``participant_id`` (None when the
    package declares no such participant)."""

    def members(
        self, participant_id: str, participant: Participant | None = None
    ) -> tuple[str, ...]: ...


class StaticDirectory:
    """A directory from a mapping of participant id to user ids; a participant it does
    not know resolves to itself."""

    def __init__(self, members: Mapping[str, Iterable[str]] | None = None) -> None:
        for name, found in (members or {}).items():
            if isinstance(found, str | bytes):
                raise TypeError(
                    f"StaticDirectory: the members of {name!r} must be a list of user ids, "
                    f"not the text {found!r} (write [{found!r}])"
                )
        self._members = {k: tuple(v) for k, v in (members or {}).items()}

    def add(self, participant_id: str, *users: str) -> None:
        self._members[participant_id] = (*self._members.get(participant_id, ()), *users)

    def members(
        self, participant_id: str, participant: Participant | None = None
    ) -> tuple[str, ...]:
        return self._members.get(participant_id, (participant_id,))


class _OneArgument:
    """A directory whose ``members`` takes the participant id only (the protocol before
    declarations were passed)."""

    def __init__(self, directory: object) -> None:
        self._members = directory.members  # type: ignore[attr-defined]

    def members(
        self, participant_id: str, participant: Participant | None = None
    ) -> tuple[str, ...]:
        return tuple(self._members(participant_id))


def adapt_directory(directory: Directory) -> Directory:
    """``directory`` as the engine calls it: one written for ``members(participant_id)``
    is wrapped (with a DeprecationWarning); any other is returned unchanged."""
    try:
        params = inspect.signature(directory.members).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature: assume the new form
        return directory
    positional = [
        p
        for p in params
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
    ]
    if len(positional) >= 2 or any(p.kind is p.VAR_POSITIONAL for p in positional):
        return directory
    warnings.warn(
        f"{type(directory).__name__}.members(participant_id) takes one argument; the engine "
        "now also passes the participant's declaration: members(participant_id, participant)",
        DeprecationWarning,
        stacklevel=3,
    )
    return _OneArgument(directory)
