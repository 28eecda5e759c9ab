"""``--limit N --after ID``: the paging options of the listings that may grow long
(``wfengine instances``, ``wfengine worklist``).

Why one place: ``worklist`` had none and printed a user's whole list, however long; given
here, both listings take the same names, bounds, help wording and exit statuses (a ``--limit``
out of range is a usage error, exit 2; the command says what an unknown ``--after`` is).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from wfengine.cli.option_types import STORED_TEXT

#: the largest ``--limit``: what a database's LIMIT holds (a signed 64-bit integer; more was
#: a traceback from SQLite); a larger page is no page, and lists them all anyway
MAX_LIMIT = 2**63 - 1


def limit_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--limit N``: a page of at most N (0 to :data:`MAX_LIMIT`)."""
    return click.option(
        "--limit",
        type=click.IntRange(min=0, max=MAX_LIMIT),
        metavar="N",
        help="List at most N (a page).",
    )(func)


def after_option(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--after ID``: the page after ``what`` ID (the last one of the previous page)."""

    def add(func: Callable[..., Any]) -> Callable[..., Any]:
        return click.option(
            "--after",
            metavar="ID",
            type=STORED_TEXT,
            help=f"Start after {what} ID (the last one of the previous page).",
        )(func)

    return add
