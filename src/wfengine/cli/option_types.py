"""Option types the commands share.

:class:`Seconds` is every float option (``worker --lease``, ``--poll``, ``--job-timeout``,
``--grace``). Click's ``FloatRange`` lets ``nan`` through (NaN compares false with every
bound) and ``inf`` when it has no upper bound: ``worker --lease nan`` was a traceback and
``--job-timeout nan`` silently turned the job timeout off. Here NaN and the infinities are
refused, and so is anything beyond :data:`MAX_SECONDS` (a lease of ``1e12`` seconds ended past
the last date Python holds), each a usage error (exit 2) naming the option.
"""

from __future__ import annotations

import math
from typing import Any

import click

#: the longest a float option may say, in seconds: a year, beyond any lease, poll, timeout or
#: grace a worker needs, and far within what timers and dates hold
MAX_SECONDS = 365 * 24 * 3600.0


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
