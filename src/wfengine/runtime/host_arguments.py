"""Checks of what a host passes to an engine command, made before the command runs.

Why: a first-day mistake (a list of pairs where a dict of data belongs) otherwise surfaced
as a bare ``AttributeError: 'list' object has no attribute 'items'`` from deep inside
navigation, naming neither the argument nor the command. A ``TypeError`` naming both says
what to change. The checks are for the host's programming mistakes, so they are
``TypeError`` (not a :class:`~wfengine.errors.WorkflowError`, which is about a process or
an instance). They run once per command and cost one type test when the value is a dict.
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping
from pathlib import PurePath

from wfengine.runtime.stored_text import user_id_problem

#: how a refused value is shown: enough to recognise it, never a whole large value
#: (attributes, not keyword arguments, which Python 3.11's Repr does not take)
_shown = reprlib.Repr()
_shown.maxstring = _shown.maxother = 40
_shown.maxlist = _shown.maxtuple = _shown.maxset = 4
_shown.maxlevel = 2


def check_mapping(value: object, name: str, command: str, *, required: bool = False) -> None:
    """Raise ``TypeError`` naming ``command``'s argument ``name`` when ``value`` is not a
    mapping of data field names to values (a dict, or another ``Mapping``); None passes
    unless the argument is ``required``."""
    if type(value) is dict or (value is None and not required) or isinstance(value, Mapping):
        return
    raise TypeError(
        f"{command}: {name} must be a mapping of data field names to values, such as "
        f"{{'amount': 10}}, not {described(value)}"
    )


#: the largest page a listing asks its store for: a larger ``limit`` lists everything, as
#: this does (SQLite's integers are 64-bit; a larger one raised OverflowError there only)
MAX_PAGE = 2**63 - 1


def page_size(limit: object, what: str) -> int | None:
    """``limit``, a listing's page size, as the stores take it: None (no limit), or a whole
    number not below zero, at most :data:`MAX_PAGE`. Why: ``2.5`` listed 2 on SQLite and 3 in
    memory, ``True`` a page of one, ``2**63`` an OverflowError on SQLite only."""
    if limit is None:
        return None
    if not isinstance(limit, int) or isinstance(limit, bool):
        raise TypeError(f"limit: a whole number of {what}, not {described(limit)}")
    if limit < 0:
        raise ValueError(f"limit: not negative ({limit})")
    return min(limit, MAX_PAGE)


def check_after(after: object, kind: type, what: str) -> None:
    """Raise ``TypeError`` when ``after``, where a keyset page continues, is not None and not
    a ``kind`` (the last item of the previous page): an id given there raised a bare
    ``AttributeError`` from inside the store."""
    if after is not None and not isinstance(after, kind):
        raise TypeError(f"after: {what}, not {described(after)}")


def described(value: object) -> str:
    """``value``'s type and repr, cut short; its type alone when its repr fails."""
    try:
        return f"{type(value).__name__} {_shown.repr(value)}"
    except Exception:  # a broken __repr__, an integer too long for text
        return type(value).__name__


def check_user(value: object, name: str, command: str) -> str:
    """``value`` when it names a user: a non-empty string. Why: inside the work-item rules
    ``None`` is the host acting as an administrator, so ``claim_work_item(id, None)`` or a
    delegation ``to=None`` was accepted and left the item allocated to nobody (on no
    worklist, which nobody could release), and a list as ``to`` failed as a bare "unhashable
    type". ``None`` or ``""`` is a ``ValueError`` (no user given), another type a
    ``TypeError``; both name the command and the argument. An id no store can hold (holding
    NUL or a lone surrogate, or over :data:`~wfengine.runtime.stored_text.MAX_ID_CHARS`
    characters) is a ``ValueError`` too, on every store alike: PostgreSQL raised a bare driver
    error, SQLite a ``UnicodeEncodeError``, while memory took it."""
    if isinstance(value, str) and value:
        problem = user_id_problem(value)
        if problem is not None:
            raise ValueError(f"{command}: {name} {value[:40]!r} {problem}")
        return value
    if value is None or value == "":
        raise ValueError(f"{command}: {name} must name a user (a user id), not {value!r}")
    raise TypeError(f"{command}: {name} must be a user id (a string), not {described(value)}")


def check_flag(value: object, name: str, command: str) -> None:
    """Raise ``TypeError`` naming ``command``'s argument ``name`` unless ``value`` is True or
    False. Why: a flag was taken by its truth, so ``defer="no"`` deferred the automatic work
    (which then never ran without a worker) and ``create="false"`` created the database; a
    flag written as text (a settings file, an environment variable) must be converted by the
    host, which alone knows its spelling."""
    if type(value) is not bool:
        raise TypeError(f"{command}: {name} must be True or False, not {described(value)}")


def check_acting_user(user: object, command: str) -> None:
    """A command's ``user=`` (who asked, named in the audit trail): None (the host) or a
    user id, as :func:`check_user` says. Why: an object or a number was kept in the audit
    detail in memory, where ``audit_events(user=)`` could not find it, and failed on a SQL
    store as data that cannot be stored, naming no argument; every command that takes
    ``user=`` checks it alike, before it looks at anything."""
    if user is not None:
        check_user(user, "user", command)


def check_url(url: object, where: str) -> None:
    """Refuse a ``url`` that is not a database URL (a string, or SQLAlchemy's ``URL``) with a
    ``TypeError`` naming ``where``, as ``Engine(db_url=5)`` is refused. Why: ``from_url(5)``,
    ``from_url(None)`` and ``SqlStore(5)`` said "the database URL cannot be read", a
    ``StoreError`` that reads as a mistyped URL, and a ``Path`` got the same."""
    if isinstance(url, str):
        return
    from sqlalchemy.engine import URL  # (loaded only for what is not a string)

    if isinstance(url, URL):
        return
    hint = f": write 'sqlite:///{url}' for a SQLite file" if isinstance(url, PurePath) else ""
    memory = "" if where == "SqlStore" else "memory://, "  # (a SqlStore is SQL only)
    raise TypeError(
        f"{where}: url is a database URL string ({memory}sqlite:///path/to/file.db, "
        f"postgresql+psycopg://user:password@host/db), not {described(url)}{hint}"
    )
