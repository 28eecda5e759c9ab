"""Text as every store can hold it: free texts escaped, user ids checked.

Why: text the engine accepts (instance data from a web form, an application's exception, an
outbox handler's error) may hold a NUL character, which PostgreSQL's text columns refuse, or
a lone surrogate (``json.loads('"\\ud800"')`` makes one), which no UTF-8 database driver can
encode. Stored as it came, the memory store took it, SQLite refused the surrogate and
PostgreSQL both, with a bare driver error out of the command: the failure that was to become
an incident never did, and every retry failed the same way. So:

* free texts the engine writes itself (incident messages, an outbox entry's last error) are
  made storable by :func:`storable_text` where they are made (``Incidents._incident``,
  ``Outbox._failed``), so a message reads the same whichever store holds it, in the trail
  and the outbox too;
* user ids, which are keys and must match exactly, are refused at the command boundary when
  no store could hold them (:func:`user_id_problem`): holding NUL or a lone surrogate, or
  longer than :data:`MAX_ID_CHARS`, the ids' column width on SQL (``org load`` refuses
  longer ids too).
"""

from __future__ import annotations

#: the longest id a store holds (``VARCHAR(200)`` on SQL: PostgreSQL enforces it); one number
#: with the longest Id a deploy takes (``id-too-long``), so a definition's Ids and the ids a
#: host gives are held to the same width
from wfengine.definition.checks.writability import MAX_ID_CHARS


def _encodes(text: str) -> bool:
    """Whether ``text`` encodes as UTF-8 (it holds no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def storable_text(text: str) -> str:
    """``text`` with what a store cannot hold escaped as Python writes it: NUL as ``\\x00``,
    a lone surrogate as ``\\ud800``; any other text unchanged (the common case costs two
    scans of the string, no copy)."""
    if "\x00" not in text and (text.isascii() or _encodes(text)):
        return text
    return text.replace("\x00", "\\x00").encode("utf-8", "backslashreplace").decode("utf-8")


def user_id_problem(value: str) -> str | None:
    """Why ``value`` cannot be a user id on every store (None: it can)."""
    if len(value) > MAX_ID_CHARS:
        return f"is {len(value)} characters long, more than the {MAX_ID_CHARS} a store holds"
    if value.isascii() and "\x00" not in value:  # (nearly every id: no second call)
        return None
    return text_problem(value)


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as it is on every store (None: it can), for text a
    user gives that must be kept exactly (a comment) rather than escaped."""
    if "\x00" in value:
        return "holds a NUL character, which a store cannot hold"
    if not value.isascii() and not _encodes(value):
        return "holds a lone surrogate (not valid Unicode text), which a store cannot hold"
    return None


def failure_text(exc: BaseException) -> str:
    """``Type: message`` of ``exc``, for an incident a user reads. A database error
    (SQLAlchemy's: it names the driver's error as ``orig`` and the ``statement``) by the
    driver's error and its first line only. Why: SQLAlchemy's text appends the statement and
    the values bound to it, and a driver's DETAIL lines may repeat a row's values, so an
    incident would show a sensitive field's value in clear (the whole error is logged)."""
    orig = getattr(exc, "orig", None)
    if not isinstance(orig, BaseException) or not hasattr(exc, "statement"):
        return f"{type(exc).__name__}: {exc}"
    first = next(iter(str(orig).splitlines()), "")
    return f"{type(exc).__name__}: ({type(orig).__module__}.{type(orig).__qualname__}) {first}"


__all__ = ["MAX_ID_CHARS", "failure_text", "storable_text", "text_problem", "user_id_problem"]
