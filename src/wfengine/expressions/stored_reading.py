"""What a stored deployment's expressions read differently from a new definition's.

A wfengine reads a deployment an earlier one stored so that its instances keep running
(:func:`~.name_spelling.composing_stored_names`, which the runtime's compiler opens for a
deployment the store marks as stored before these readings changed: never for one this
wfengine deployed, which reads alike in every process): where a newer rule would refuse a
text, or fail it at run time, the earlier reading stays. Each such place is worth a warning
naming the process and the text, so the modeller fixes the next version before it is refused
or its instances stop there: :func:`noting_stored_readings` collects them, as sentences the
compiler can log, while compiling a stored deployment.

Why collected here rather than logged where found: the expressions layer does not know which
process it reads, and one parse is shared by every process that writes the same text (cached:
:func:`~.expression.build_expression` tells each reading the notes of a cached parse).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal

from wfengine.expressions.name_spelling import names_composed

#: what the declared types of a note's fields must all be for both readings to agree: numbers
#: or dates and datetimes (``Math.max`` of them reads alike), or single values, no lists
Agreement = Literal["number-or-time", "single"]


@dataclass(frozen=True, order=True, slots=True)
class StoredNote:
    """What a stored deployment's text reads as it did then, where a new version reads it
    otherwise: a sentence for the compiler's warning, naming the text.

    Why the fields: only the definition knows a field's type (this layer reads texts alone),
    and ``Math.max(n1, n2)`` over two FLOAT fields reads alike either way. A note with
    ``fields`` stands unless every one of them is declared a type that ``agrees``
    (:func:`wfengine.runtime.compiler.compile_process` judges); one without always stands.
    """

    sentence: str
    fields: tuple[str, ...] = ()
    agrees: Agreement | None = None

    def __str__(self) -> str:
        return self.sentence


#: while notes are collected: the notes met so far, else None
_NOTES: ContextVar[set[StoredNote] | None] = ContextVar(
    "wfengine_stored_reading_notes", default=None
)


def reading_stored() -> bool:
    """Whether the text being compiled is a stored deployment's (read as it was then)."""
    return names_composed() is not None


def note(sentence: str, fields: tuple[str, ...] = (), agrees: Agreement | None = None) -> None:
    """Record ``sentence`` (what reads as it did, and what a new version must write) while
    :func:`noting_stored_readings` is open; nothing otherwise. ``fields`` and ``agrees``: see
    :class:`StoredNote`."""
    keep(StoredNote(sentence, fields, agrees))


def keep(found: StoredNote) -> None:
    """Record a note made already (a cached parse's) while notes are collected."""
    notes = _NOTES.get()
    if notes is not None:
        notes.add(found)


@contextmanager
def noting_stored_readings() -> Iterator[set[StoredNote]]:
    """Collect the notes of the texts compiled inside: yields the set, filled as they are."""
    found: set[StoredNote] = set()
    token = _NOTES.set(found)
    try:
        yield found
    finally:
        _NOTES.reset(token)


#: the level of these notes in the compiler's log: INFO on every compile (each command,
#: worker and engine compiles the versions it meets, so a warning each time was eleven lines
#: on every ``wfengine status``), WARNING inside :func:`announcing` (``wfengine db upgrade``
#: marking the versions: said once, where operators look)
_LEVEL: ContextVar[int] = ContextVar("wfengine_stored_reading_level", default=logging.INFO)
#: the declared types (XPDL basic types) of fields ``Math.max`` reads alike either way
_NUMBER_OR_TIME = frozenset({"INTEGER", "FLOAT", "DATETIME", "DATE"})


def level() -> int:
    """The logging level the notes are said at (:func:`announcing`)."""
    return _LEVEL.get()


@contextmanager
def announcing() -> Iterator[None]:
    """Say the notes of the deployments compiled inside as warnings, not at INFO."""
    token = _LEVEL.set(logging.WARNING)
    try:
        yield
    finally:
        _LEVEL.reset(token)


def stands(found: StoredNote, kinds: Mapping[str, tuple[Any, bool]]) -> bool:
    """Whether both readings of ``found``'s text can differ in a process whose fields are
    declared ``kinds`` (field -> (basic type or enumeration's values, is a list), as the
    runtime's compiler has them): unless every field it names agrees (see :data:`Agreement`)."""
    if not found.fields or found.agrees is None:
        return True
    for name in found.fields:
        kind, listed = kinds.get(name, (None, False))
        single = not listed and isinstance(kind, str | frozenset)  # (a type, or choices)
        if not single or (found.agrees == "number-or-time" and kind not in _NUMBER_OR_TIME):
            return True
    return False
