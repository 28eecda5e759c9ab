"""The steps at which a command's run has more to do than run its work (the step budget's
end, a stretch's end, a take of the history, the progress watch), told once per step by
comparing with the next of them (:func:`~wfengine.runtime.navigation.agenda._next_due`):
none may come a step late or be skipped."""

from __future__ import annotations

from wfengine.runtime.navigation.agenda import _FIRST_DUE, TAKE_EVERY, _next_due
from wfengine.runtime.progress import WATCH_FROM

BIG = 1_000_000


def test_the_next_take_of_the_history_is_the_next_multiple() -> None:
    assert _next_due(0, BIG, BIG, True) == TAKE_EVERY
    assert _next_due(TAKE_EVERY - 1, BIG, BIG, True) == TAKE_EVERY
    assert _next_due(TAKE_EVERY, BIG, BIG, True) == 2 * TAKE_EVERY


def test_without_takes_the_watch_is_next_and_then_every_step() -> None:
    assert _next_due(0, BIG, BIG, False) == WATCH_FROM
    assert _next_due(WATCH_FROM, BIG, BIG, False) == WATCH_FROM + 1
    assert _next_due(WATCH_FROM + 5, BIG, BIG, True) == WATCH_FROM + 6


def test_the_budget_and_the_stretch_end_the_step_after_their_last() -> None:
    assert _next_due(0, 3, BIG, True) == 4  # the 4th step is over a budget of 3
    assert _next_due(0, 0, BIG, True) == 1  # no step left: the first parks
    assert _next_due(0, BIG, 10, True) == 11  # a stretch of 10 ends before the 11th
    assert _next_due(11, BIG, 20, False) == 21


def test_a_run_starting_at_the_first_due_step_misses_none() -> None:
    """drain starts with _FIRST_DUE, not _next_due, when the budget and the stretch both
    reach it: no step _next_due names may come before it."""
    for allowed in (_FIRST_DUE, _FIRST_DUE + 1, WATCH_FROM, BIG):
        for stretch in (_FIRST_DUE, _FIRST_DUE + 1, WATCH_FROM, BIG):
            for taking in (True, False):
                assert _next_due(0, allowed, stretch, taking) >= _FIRST_DUE
    assert _next_due(0, BIG, BIG, True) == _FIRST_DUE  # (and it is due then, with takes)
