"""Log records of wfengine's loggers shown on stderr while a command runs.

The library logs what an operator should see but that is not the command's output (the worker's
progress, a database row the store had to skip); a command shows those records on stderr for
its own duration and leaves logging as it found it, so embedding or testing several commands in
one process does not pile up handlers.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record is emitted (not when the handler
    was made), so a command run twice in one process (tests, embedding) logs where it should."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


class _UtcFormatter(logging.Formatter):
    """Stamps records (``%(asctime)s``) in UTC with the offset, to the millisecond
    (``2026-12-07T17:52:06.123+00:00``). Why: the worker's log lines were stamped in local
    time with no offset (12:52:06 in New York) while audit, status and worklist print UTC
    with ``+00:00``: an operator matching a log line to an audit event did the sums."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


@contextmanager
def logging_to_stderr(
    level: str, fmt: str = "%(message)s", logger: str = "wfengine"
) -> Iterator[None]:
    """Show records of ``logger`` (and its children) at ``level`` and above on stderr, in
    ``fmt`` (its ``%(asctime)s`` in UTC: :class:`_UtcFormatter`), while the block runs; then
    restore the logger's level."""
    root = logging.getLogger(logger)
    previous = root.level
    handler = _StderrHandler()
    handler.setFormatter(_UtcFormatter(fmt))
    root.setLevel(level.upper())
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
