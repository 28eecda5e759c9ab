"""A new row whose id another row holds, met by the SQL commit: one run again, then
:class:`~wfengine.runtime.memory_ids.IdTakenError`.

Why: the SQL stores insert new process instances, work items, jobs (timers too) and incidents,
so an id in use is refused by the table's key. The first time the commit raises
:class:`~wfengine.errors.ConcurrencyError` and the engine runs the command again with fresh
ids: two engines each counting from 1 on one database recover so. An id generator that repeats
ids for good met the same refusal on every run, and the command ended "lost 11 races in a row
... try it again" (and a repeated job id was a bare ``IntegrityError``). So the second refusal
within one command (a run again after a lost race: :func:`~wfengine.runtime.job_claims.
running_again`) is the :class:`IdTakenError` the memory store raises, naming the id generator.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import sqlalchemy as sa

from wfengine.errors import ConcurrencyError, StoreError
from wfengine.runtime import job_claims
from wfengine.runtime.memory_ids import IdTakenError, taken_words

#: table -> what its rows are called, and the plan's list of the rows it inserts new there
#: (:class:`~wfengine.runtime.sql.commit.StepPlan`)
KINDS = {
    "process_instances": ("process instance", "inserts"),
    "work_items": ("work item", "new_items"),
    "jobs": ("job", "jobs"),
    "incidents": ("incident", "incidents"),
}

#: the refusal was met by a command's first run
_FIRST = object()


class _Refusals(threading.local):
    #: the last refusal this thread met and no commit followed: _FIRST, or the record of the
    #: runs again it was met in (job_claims'); None when there is none
    last: object = None


_refusals = _Refusals()


def committed() -> None:
    """A commit succeeded on this thread: a refusal before it was another command's."""
    if _refusals.last is not None:
        _refusals.last = None


def refusal(exc: sa.exc.IntegrityError, table: str | None, plan: Any) -> StoreError | None:
    """The error for ``exc``, a key of ``table`` violated by a row ``plan`` (a ``StepPlan``)
    inserts new: a :class:`ConcurrencyError` (run again) the first time in a command, then
    :class:`IdTakenError`; None when ``table`` is none of :data:`KINDS`, ``exc`` is not its
    id key refused (a NOT NULL, CHECK or foreign key failure is no repeated id) or ``plan``
    inserts no row there."""
    kind, attr = KINDS.get(table or "", ("", ""))
    if not kind or not _id_key(exc, table or ""):
        return None
    ids: list[str] = [r["id"] for r in getattr(plan, attr, ())]
    if not ids:
        return None
    # (an instance row is also in use when the instance was read outside the command)
    detail = "read outside the command that commits it, or " if attr == "inserts" else ""
    found = re.search(r"Key \(id\)=\((.*?)\) already exists", str(exc.orig))
    if found is not None and found.group(1) in ids:  # (PostgreSQL says which)
        ids = [found.group(1)]
    names = ", ".join(repr(i) for i in ids[:5]) + (", ..." if len(ids) > 5 else "")
    which = kind if len(ids) == 1 else f"one of the {kind}s"
    runs: Any = job_claims.pending()
    again = runs if runs is not None and len(runs) > 2 else None
    last = _refusals.last
    if again is not None and (last is _FIRST or last is again):
        _refusals.last = None
        return IdTakenError(
            taken_words(
                f"{which} {names}",
                "the command, run again with fresh ids, met an id in use again; the new one "
                "was refused and nothing was stored",
            )
        )
    _refusals.last = _FIRST if again is None else again
    return ConcurrencyError(
        f"{which} {names} is stored already ({detail}the engine's id generator "
        "(Engine(ids=...)) handed out an id in use: an IdGenerator must never repeat an id, "
        "see wfengine.runtime.ids)"
    )


def _id_key(exc: sa.exc.IntegrityError, table: str) -> bool:
    """Whether ``exc`` is ``table``'s key on ``id`` refusing a value in use: SQLite's
    "UNIQUE constraint failed: <table>.id", PostgreSQL's unique_violation (sqlstate 23505)
    of ``<table>_pkey`` or on "Key (id)=..."."""
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    if diag is None:  # (sqlite3 says only its message)
        found = re.fullmatch(r"UNIQUE constraint failed: (\w+)\.id", str(orig).strip())
        return found is not None and found.group(1) == table
    if getattr(orig, "sqlstate", None) != "23505":
        return False
    if getattr(diag, "constraint_name", None) == f"{table}_pkey":
        return True
    detail = getattr(diag, "message_detail", None) or str(orig)
    return re.search(r"Key \(id\)=\(", detail) is not None
