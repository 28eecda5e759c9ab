"""Where a simulation's time ends: one rule for every moment a run starts at or moves to.

The engine keeps the times before :data:`~wfengine.definition.event_texts.LAST_MOMENT`
(9999-12-31T00:00Z): what waits for ever is parked there, and a virtual clock refuses to go
there. A moment at or after it is past the clock, whether it is the scenario's start, its
horizon, a case's arrival, a person's step or an application call ending. Why: the simulator
guarded only ``datetime.max``, so a start, a step's end or a horizon on the last day raised
the clock's bare ValueError (a traceback), a timed call ending there was parked without a word
(its cases reported "still open"), and a horizon past it was blamed on the arrivals.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from wfengine.definition.event_texts import LAST_MOMENT, unheld
from wfengine.runtime.clock import due_after
from wfengine.simulation.distributions import ScenarioError

#: where a moment past the clock falls, as messages say it
END = f"at or after {LAST_MOMENT.isoformat()}, where the engine's time ends"


def past_the_end(moment: datetime) -> bool:
    """Whether ``moment`` (aware) is at or after the end of the engine's time (a moment
    before its beginning is none a run moves to: it never goes back before its start)."""
    return unheld(moment) is not None


def period_refusal(start: datetime, horizon: float | None, said: Any = None) -> str | None:
    """Why a run from ``start`` over ``horizon`` seconds (None: no horizon) cannot be
    simulated, as ``"start: ..."`` or ``"horizon: ..."`` (the key it is about); None when it
    can. ``said`` is the horizon as the scenario wrote it (None: in seconds)."""
    why = unheld(start)
    if why is not None:
        other = "an earlier" if why.startswith("at or after") else "a later"
        return f"start: {start.isoformat()} is {why} (give {other} start)"
    if horizon is not None and due_after(start, timedelta(seconds=horizon)) is None:
        said = f"{horizon:,.0f} seconds" if said is None else said
        return (
            f"horizon: {said} after the start ({start.isoformat()}) ends {END} (give a shorter "
            "horizon or an earlier start)"
        )
    return None


class MomentPastTheClock(OverflowError):
    """A moment the run computes (a calendar's next opening) falls past ``datetime.max``:
    raised where it is computed, naming it (``what``), since the run's catch of a bare
    :class:`OverflowError` can only guess "the next arrival or a step's end"."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def past_the_clock(source: str, now: datetime, what: str) -> ScenarioError:
    """The error for ``what`` (an arrival, a step's end, ...) falling past the clock, seen at
    ``now``."""
    return ScenarioError(
        f"{source}: at {now:%Y-%m-%d}, {what} would fall {END}: the scenario's start is too "
        "late, or its durations or gaps between arrivals too long, for this many cases (start "
        "earlier, shorten them, or run fewer cases; a working calendar stretches them by its "
        "closed hours)"
    )
