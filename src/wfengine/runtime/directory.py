"""A trivial organisation directory: who may perform a participant's work.

The worklist brings real resolution (roles, units, expressions); the engine only needs to ask
"who are the members of this participant?" when it creates a work item. Unknown participants
resolve to themselves, so a performer naming a user id works without any setup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol, runtime_checkable


@runtime_checkable
class Directory(Protocol):
    """Who may perform a participant's work: the engine asks it when it offers a
    work item."""

    def members(self, participant_id: str) -> tuple[str, ...]: ...


class StaticDirectory:
    """A directory from a mapping of participant id to user ids; a participant it does
    not know resolves to itself."""

    def __init__(self, members: Mapping[str, Iterable[str]] | None = None) -> None:
        self._members = {k: tuple(v) for k, v in (members or {}).items()}

    def add(self, participant_id: str, *users: str) -> None:
        self._members[participant_id] = (*self._members.get(participant_id, ()), *users)

    def members(self, participant_id: str) -> tuple[str, ...]:
        return self._members.get(participant_id, (participant_id,))
