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

A process instance's id and a job's are held shorter, to :data:`MAX_DERIVING_ID_CHARS`: the
engine makes other ids and keys of them, which must fit the stores' columns too. An activity
instance's id is its process instance's, a colon and a number (200 characters wide, as every
id); an application call's idempotency key (300 wide) holds a process instance's id and, when a
job makes the call, the job's, and some 40 characters more. A 199-character instance id passed
the check, and PostgreSQL alone then refused every start with a bare ``DataError`` for the
activity instance's id (memory and SQLite stored it).

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

#: the most characters of a process instance's or a job's id from a host's generator (see the
#: module notes): what the engine derives from them (``{instance}:{number}``, at most 200;
#: ``{instance}:{job}.{n}/{iteration}/{position}@{nonce}``, at most 300) then fits
MAX_DERIVING_ID_CHARS = 100
#: the kinds of id the engine derives others from: what the id is, what is made of it
DERIVING_KINDS = {
    "pi": ("a process instance's id", "its activity instances' ids and its calls' keys"),
    "job": ("a job's id", "the keys of the application calls it makes"),
}

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
                if len(made) <= MAX_DERIVING_ID_CHARS or kind not in DERIVING_KINDS:
                    return made
                what, derived = DERIVING_KINDS[kind]
                problem = (
                    f"is {len(made)} characters long, more than the {MAX_DERIVING_ID_CHARS} "
                    f"{what} may have: {derived} are made of it and must fit a store"
                )
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
