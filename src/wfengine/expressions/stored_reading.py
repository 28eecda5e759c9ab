"""What a stored deployment's expressions read differently from a new definition's.

A wfengine reads a deployment an earlier one stored so that its instances keep running
(:func:`~.name_spelling.composing_stored_names`, which the runtime's compiler opens for a
deployment the store marks as stored before these readings changed: never for one this
wfengine deployed, which reads alike in every process): where a newer rule would refuse a
text, or fail it at run time, the earlier reading stays. Each such
place is worth a warning naming the process and the text, so the modeller fixes the next
version before it is refused: :func:`noting_stored_readings` collects them, as sentences the
compiler can log, while compiling a stored deployment.

Why collected here rather than logged where found: the expressions layer does not know which
process it reads, and one parse is shared by every process that writes the same text (cached:
:func:`~.expression.build_expression` tells each reading the notes of a cached parse).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from wfengine.expressions.name_spelling import names_composed

#: while notes are collected: the sentences met so far, else None
_NOTES: ContextVar[set[str] | None] = ContextVar("wfengine_stored_reading_notes", default=None)


def reading_stored() -> bool:
    """Whether the text being compiled is a stored deployment's (read as it was then)."""
    return names_composed() is not None


def note(sentence: str) -> None:
    """Record ``sentence`` (what reads as it did, and what a new version must write) while
    :func:`noting_stored_readings` is open; nothing otherwise."""
    notes = _NOTES.get()
    if notes is not None:
        notes.add(sentence)


@contextmanager
def noting_stored_readings() -> Iterator[set[str]]:
    """Collect the notes of the texts compiled inside: yields the set, filled as they are."""
    found: set[str] = set()
    token = _NOTES.set(found)
    try:
        yield found
    finally:
        _NOTES.reset(token)
