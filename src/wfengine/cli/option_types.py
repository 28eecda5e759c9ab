"""Option types the commands share.

:class:`Seconds` is every float option (``worker --lease``, ``--poll``, ``--job-timeout``,
``--grace``). Click's ``FloatRange`` lets ``nan`` through (NaN compares false with every
bound) and ``inf`` when it has no upper bound: ``worker --lease nan`` was a traceback and
``--job-timeout nan`` silently turned the job timeout off. Here NaN and the infinities are
refused, and so is anything beyond :data:`MAX_SECONDS` (a lease of ``1e12`` seconds ended past
the last date Python holds), each a usage error (exit 2) naming the option.

:class:`StoredText` is every id and filter a command looks up in a store (an instance, item or
incident ``ID``, ``--process``, ``--activity``, ``--after``, ``--instance``), and
:class:`UserId` every user id (``--user``, ``--to``). A byte of the command line that is not
UTF-8 (a name typed in a Latin-1 terminal) reaches Python as a lone surrogate, which no store
can hold: SQLite's driver raised a ``UnicodeEncodeError`` traceback (exit 1), and a lookup by
such an id said its row "cannot be read"; a user id over the 200 characters a store holds was
the engine's ``ValueError`` traceback. Each is now a usage error (exit 2) naming the option
and what is wrong (:mod:`wfengine.runtime.stored_text`, which the engine's own checks use).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, TypeAlias

import click

#: the longest a float option may say, in seconds: a year, beyond any lease, poll, timeout or
#: grace a worker needs, and far within what timers and dates hold
MAX_SECONDS = 365 * 24 * 3600.0


def _shown(value: str) -> str:
    """``value`` as a message shows it: quoted, its first 40 characters, a surrogate escaped
    (``'jos\\udce9'``) so that printing it cannot fail."""
    return repr(value[:40]) + ("..." if len(value) > 40 else "")


if TYPE_CHECKING:  # (click >= 8.3.1 types ParamType generic; older clicks cannot subscript it)
    _TextType: TypeAlias = click.ParamType[str]
else:
    _TextType = click.ParamType


class StoredText(_TextType):
    """An id or filter a store can hold: no NUL character, no lone surrogate."""

    name = "text"

    def _problem(self, value: str) -> str | None:
        from wfengine.runtime.stored_text import text_problem

        return text_problem(value)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value  # a default the command chose
        problem = self._problem(value)
        if problem is not None:
            if "surrogate" in problem:  # how a command line's undecodable byte arrives
                problem = (
                    "holds a byte that is not UTF-8 (read as a lone surrogate), which a store "
                    "cannot hold: is the terminal's encoding UTF-8?"
                )
            self.fail(f"{_shown(value)} {problem}", param, ctx)
        return value


class UserId(StoredText):
    """A user id a store can hold: as :class:`StoredText`, and at most
    :data:`~wfengine.runtime.stored_text.MAX_ID_CHARS` characters (the ids' column width)."""

    name = "user"

    def _problem(self, value: str) -> str | None:
        from wfengine.runtime.stored_text import user_id_problem

        return user_id_problem(value)


class TriggerName(StoredText):
    """A message or signal name: stored text that is not empty (an empty one was refused by
    the engine's command with a traceback, exit 1, naming a command the user never typed)."""

    name = "name"

    def _problem(self, value: str) -> str | None:
        if not value:
            return "is empty: give the name the catch events wait for"
        return super()._problem(value)


#: the shared instances the commands' options use
STORED_TEXT = StoredText()
USER_ID = UserId()
TRIGGER_NAME = TriggerName()


class Seconds(click.FloatRange):
    """A finite number of seconds, at least ``min`` (more than it with ``min_open``) and at
    most :data:`MAX_SECONDS`."""

    name = "seconds"

    def __init__(self, min: float = 0.0, *, min_open: bool = False) -> None:
        super().__init__(min=min, max=MAX_SECONDS, min_open=min_open)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = click.FLOAT.convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number of seconds", param, ctx)
        if number > MAX_SECONDS:
            self.fail(
                f"{value!r} seconds is more than {MAX_SECONDS:,.0f} (a year), the most it may be",
                param,
                ctx,
            )
        return super().convert(number, param, ctx)
