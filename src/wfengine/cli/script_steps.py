"""``wfengine run --script STEPS.json``: what happens to a run's instance, step by step.

STEPS.json is a JSON list of steps, each an object with one action key:

* ``{"complete": "ACT", "set": {...}}``: complete the oldest open work item of activity ACT
  in the instance or its subflows, merging ``set`` into the data; none open: exit 1 naming
  the step;
* ``{"message": "NAME", "set": {...}}``: send message NAME to the instance (taken by a
  message catch event that waits for it, else kept until one does);
* ``{"signal": "NAME", "set": {...}}``: broadcast signal NAME (lost if nothing waits);
* ``{"advance": "PT1H30M"}``: move the run's virtual clock forward by an ISO 8601 duration
  (or a number of seconds); due timers fire in due order;
* ``{"cancel": "ACT"}``: cancel the open instances of activity ACT (none open: exit 1);
* ``{"add_instance": "ACT", "set": {...}}``: add one instance to the running multi-instance
  activity ACT in the instance or its subflows, merging ``set`` into the data first (none
  running: exit 1);
* ``{"terminate": true}``: terminate the instance.

A step naming an activity (``complete``, ``cancel``, ``add_instance``) that no process of the
file has, or a message that no process of the file catches, is a usage error naming the step,
before anything runs (:func:`wfengine.cli.run_cmd._checked_step`): it could never be taken.
So is a Message start event's message, saying so: the run starts its instance itself, and
the data that message carries is the run's ``--set``.

Only the steps above that show a ``set`` take one: on an ``advance``, ``cancel`` or
``terminate`` step it is a usage error naming the step (such a step has no data to merge).
A key Python reads as another name (``ﬁle``, which it reads as ``file``; a decomposed
``café``) is a usage error naming the step; a key that is no name at all must be a declared
field's id (``order-no``: such an id is XPDL's to allow), else it is refused as it would be
stored where no expression reads it.

The runner runs all automatic work after each step; after the last one it goes on as without
``--script`` (completing manual work oldest first, with ``--answers``). A file that is not
such a list is a usage error naming the step and what is wrong; so is one larger than
:data:`~wfengine.cli.loading.MAX_INPUT_BYTES` (16 MiB, read no further), not UTF-8 text, or
holding JSON beyond the limits of :mod:`wfengine.cli.json_input` (values nested more
than :data:`~wfengine.cli.json_input.MAX_JSON_DEPTH` levels below a step's ``set``, numbers
that do not fit: integers wider than instance data holds, ``NaN``, ``Infinity``, floats too
large), naming the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import click

from wfengine.cli.json_input import MAX_JSON_DEPTH, JsonLimitError, JsonTooDeep, loads
from wfengine.cli.loading import read_input
from wfengine.definition.durations import MAX_DURATION, counts_months_or_years, parse_duration
from wfengine.expressions.name_spelling import name_problem
from wfengine.one_line import shortened

#: the levels the file's own shape takes (the list, a step, its "set") above the values
_SHAPE_DEPTH = 3
#: the actions a step may name
ACTIONS = ("complete", "message", "signal", "advance", "cancel", "add_instance", "terminate")
#: the actions that take data (a "set"): the others would check it and drop it
TAKES_SET = ("complete", "message", "signal", "add_instance")
#: those this wfengine cannot carry out yet (none at present; kept so a future action can
#: be refused as a usage error rather than half-run)
NOT_YET: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class Step:
    """One step: its position (1-based) in the file, its action and what it names."""

    number: int
    action: str
    target: Any
    data: dict[str, Any] = field(default_factory=dict)
    #: what the file wrote for the action (an advance's ``"PT10M"``, before it is read)
    written: Any = None

    def __str__(self) -> str:
        shown = self.target if self.written is None else self.written
        text = repr(shown) if isinstance(shown, str) else json.dumps(shown)
        return f"step {self.number} ({self.action} {text})"


def read_steps(path: str) -> list[Step]:
    """The steps of ``path`` (``-``: standard input), checked; a usage error otherwise."""
    try:
        text = read_input(path, "--script").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise click.UsageError(f"--script {path}: not UTF-8 text ({exc.reason})") from None
    try:
        found = loads(text, max_depth=MAX_JSON_DEPTH + _SHAPE_DEPTH)
    except JsonTooDeep as exc:
        raise click.UsageError(
            f"--script {path}: {exc}; values may nest at most {MAX_JSON_DEPTH} levels below "
            f"the {_SHAPE_DEPTH} of the steps' own shape"
        ) from None
    except JsonLimitError as exc:
        raise click.UsageError(f"--script {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise click.UsageError(f"--script {path}: not JSON ({exc})") from None
    if not isinstance(found, list):
        raise click.UsageError(f"--script {path}: expected a JSON list of steps")
    return [_step(n, raw, path) for n, raw in enumerate(found, 1)]


def _step(number: int, raw: Any, path: str) -> Step:
    where = f"--script {path}, step {number}"
    if not isinstance(raw, dict):
        raise click.UsageError(f'{where}: expected an object such as {{"complete": "ACT"}}')
    actions = [k for k in raw if k in ACTIONS]
    unknown = sorted(set(raw) - set(ACTIONS) - {"set"})
    if len(actions) != 1 or unknown:
        raise click.UsageError(
            f'{where}: expected one of {", ".join(ACTIONS)} (and "set"), got '
            f"{', '.join(map(repr, raw)) or 'nothing'}"
        )
    action = actions[0]
    if action in NOT_YET:
        raise click.UsageError(
            f"{where}: {action!r} steps need {NOT_YET[action]}, which this wfengine does not "
            "run yet"
        )
    target = raw[action]
    if "set" in raw and action not in TAKES_SET:
        raise click.UsageError(
            f'{where}: "set" goes only with {", ".join(TAKES_SET)}; {action!r} takes no '
            "data (set it with the step that needs it)"
        )
    data = raw.get("set", {})
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise click.UsageError(f'{where}: "set" must be an object of field names')
    # (as --set and --answers: a name Python reads as another, a ligature or a decomposed
    # accent, stored its value under a key no expression reads; a key that is no name at all
    # may still be a declared field's id, `order-no`: checked against the definition later)
    for key in data:
        problem = name_problem(key)
        if problem is not None:
            raise click.UsageError(f'{where}: "set": {problem}')
    if action in ("complete", "cancel", "add_instance") and (
        not isinstance(target, str) or not target
    ):
        raise click.UsageError(f"{where}: {action!r} names an activity id")
    if action in ("message", "signal") and (not isinstance(target, str) or not target):
        raise click.UsageError(f"{where}: {action!r} names a {action}")
    if action == "advance":
        target = _duration(target, where)
    if action == "terminate" and target is not True:
        raise click.UsageError(f'{where}: write {{"terminate": true}}')
    return Step(number, action, target, data, raw[action])


def _duration(value: Any, where: str) -> timedelta:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        if value > MAX_DURATION.total_seconds():  # (NaN and Infinity are no JSON numbers)
            raise click.UsageError(
                f"{where}: {_shown(value)} seconds is more than a step may move the clock "
                f"(at most {MAX_DURATION.total_seconds():.0f} seconds, {MAX_DURATION.days:,} "
                "days)"
            )
        return timedelta(seconds=value)
    found = parse_duration(value) if isinstance(value, str) else None
    if found is None and isinstance(value, str) and counts_months_or_years(value):
        # (it is an ISO 8601 duration: saying it is none sent people looking for a typo)
        raise click.UsageError(
            f"{where}: {_shown(value)} is a length in months or years, which varies, so the "
            "clock cannot be advanced by it: write days or weeks (P30D, P52W) or seconds"
        )
    if found is None or found < timedelta(0):
        raise click.UsageError(
            f"{where}: {_shown(value)} is not an ISO 8601 duration such as PT1H30M (or a number "
            f"of seconds) of at most {MAX_DURATION.days:,} days"
        )
    return found


def _shown(value: Any) -> str:
    """A refused step's value as its message names it: a duration of 5,000 characters was
    echoed whole (:func:`~wfengine.one_line.shortened`)."""
    return repr(shortened(value)) if isinstance(value, str) else shortened(repr(value))


def check_moves(steps: list[Step], start: datetime, path: str) -> None:
    """Refuse, as a usage error naming the step, the first ``advance`` that would move a clock
    starting at ``start`` past the last day the engine keeps (a job parked for ever is due
    then), before anything runs."""
    from wfengine.runtime.jobs import PARKED

    at = start
    for step in steps:
        if step.action != "advance":
            continue
        try:
            at = at + step.target
        except OverflowError:
            at = PARKED
        if at >= PARKED:
            raise click.UsageError(
                f"--script {path}, step {step.number}: advancing {step.target} moves the "
                f"clock past {PARKED.date()}, the last day the engine keeps"
            )
