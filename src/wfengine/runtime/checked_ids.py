"""The host's id generator, its every id checked: a non-empty string, or a ``TypeError``; one
holding what no store holds (a NUL, a lone surrogate, more than
:data:`~wfengine.runtime.stored_text.MAX_ID_CHARS` characters), which every command refuses as
an id argument, a ``ValueError`` before it is stored (a longer one was taken by the memory
store and SQLite, and failed on PostgreSQL alone with a bare driver error).

Why: ids are the host's to choose (``Engine(ids=...)``), and one whose ``new(kind)`` gave
something else, an ``int`` as a database sequence does, was taken as it came. The memory store
stored the instance under the number, and every later listing failed (``object of type 'int'
has no len()``) for good; SQLite failed with a bare ``sequence item 1: expected str instance,
int found`` from inside the command. Checked as each id is taken, the command stops before it
stores anything under that id, with a message naming ``Engine(ids=...)``.

The generators of this package (:class:`~wfengine.runtime.ids.SequentialIds`,
:class:`~wfengine.runtime.ids.UuidIds` and the stores' own) make strings: they are used as
they are, so the default path costs nothing more; a host's generator costs one call and one
``isinstance`` per id.

``engine.ids`` is then the wrapper (the engine is its navigation's context, which takes ids
from it), so the wrapper reads and sets any other attribute on the host's generator: host code
reading ``engine.ids.n`` (its own counter) kept working. The wrapper copies, deep-copies and
pickles (its host generator with it, when that one does).
"""

from __future__ import annotations

from typing import Any

from wfengine.runtime.host_arguments import described
from wfengine.runtime.ids import IdGenerator, SequentialIds, UuidIds
from wfengine.runtime.stored_text import user_id_problem

#: generators whose ids are strings by construction (exactly these classes: a subclass may
#: change ``new``)
_TRUSTED = (SequentialIds, UuidIds)


class CheckedIds:
    """``ids`` whose :meth:`new` refuses an id that is not a non-empty string a store holds."""

    __slots__ = ("_ids", "_new")

    def __init__(self, ids: IdGenerator) -> None:
        self._ids = ids
        self._new = ids.new

    def new(self, kind: str) -> str:
        made = self._new(kind)
        if isinstance(made, str) and made:
            problem = user_id_problem(made)
            if problem is None:
                return made
            raise ValueError(  # (every command refuses such an id: one stored, none reaches it)
                f"Engine(ids=...): the id generator {type(self._ids).__name__}'s new({kind!r}) "
                f"gave {made[:40]!r}, which {problem}; the record was not stored"
            )
        raise TypeError(
            f"Engine(ids=...): the id generator {type(self._ids).__name__}'s new({kind!r}) "
            f"gave {described(made)}, not a non-empty string; the record was not stored. "
            "An IdGenerator's new(kind) returns a fresh id as a str (a database sequence's "
            'number n as f"{kind}-{n}", say)'
        )

    def __getattr__(self, name: str) -> Any:
        # (only names the wrapper has not: the host's generator's own attributes). Not the
        # wrapper's own slots (unset while copy, deepcopy or pickle build a wrapper without
        # __init__: reading them here looped for good) nor dunder names (those protocols ask
        # for __setstate__, __deepcopy__, ...: the wrapper's, not the host generator's)
        if name in CheckedIds.__slots__ or (name.startswith("__") and name.endswith("__")):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(object.__getattribute__(self, "_ids"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in CheckedIds.__slots__:
            object.__setattr__(self, name, value)
        else:
            setattr(self._ids, name, value)

    def __repr__(self) -> str:
        return f"CheckedIds({self._ids!r})"


def checked_ids(ids: IdGenerator) -> IdGenerator:
    """``ids`` itself when it is one of this package's generators, else :class:`CheckedIds`
    around it."""
    return ids if type(ids) in _TRUSTED else CheckedIds(ids)
