"""The optional ``--user U`` of the operator's commands (``instance suspend|resume|terminate|
abort|cancel``, ``incident retry|skip|abort``): who asks, named in the audit trail.

WfMC's audit data names, on every record, the user or system that caused it; these commands
pass the name to the engine command's ``user=``, which records it on the events the command
writes (``wfengine audit --user U`` then lists them). Without ``--user`` nobody is named (the
host, as before). Whether U may do it is not checked here: the engine's process control
commands take the host's word, as ``Engine.terminate(user=...)`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from wfengine.cli.option_types import USER_ID

_F = TypeVar("_F", bound=Callable[..., Any])


def _named(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A user id, which is never empty when given (an empty one would name nobody)."""
    if value is not None and not value.strip():
        raise click.BadParameter("name a user, or leave --user out", ctx=ctx, param=param)
    return value


def acting_user_option(func: _F) -> _F:
    """The optional ``--user U`` option (into the parameter ``user``; None when absent)."""
    decorated: _F = click.option(
        "--user",
        "user",
        metavar="U",
        type=USER_ID,
        default=None,
        callback=_named,
        help="Who asks: named on what the command records in the audit trail.",
    )(func)
    return decorated


__all__ = ["acting_user_option"]
