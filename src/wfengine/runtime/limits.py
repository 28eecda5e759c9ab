"""What one instance, one command and one definition may cost the engine.

Definitions may come from people the host does not trust, so every way a small definition
can make the engine do unbounded work has a limit here (expressions have their own, in
:class:`wfengine.expressions.Limits`). A limit reached is an incident on the instance that
reached it, never an exception out of a worker: the rest of the engine carries on. A host
changes them with ``Engine(limits=RuntimeLimits(max_mi_instances=50_000))``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from wfengine.definition.durations import LONGEST_WAIT, MAX_DURATION
from wfengine.expressions.limits import DEFAULT_LIMITS


@dataclass(frozen=True, slots=True)
class RuntimeLimits:
    """The engine's bounds on what one instance, command or definition may cost (see
    the module notes); a limit reached is an incident on the instance that reached it."""

    #: automatic steps one command takes before it parks the rest with an incident (an
    #: endless cycle that calls applications or changes its data, ``n = n + 1`` for ever;
    #: one without progress, or that only multiplies its queued work, is caught much
    #: earlier: :mod:`wfengine.runtime.progress`). The default lets a host's own long loops
    #: run in one command, but lets an untrusted definition's endless loop cost one command
    #: tens of seconds (and, on SQLite, about a GB of history): a host that runs definitions
    #: it does not trust lowers it (``RuntimeLimits(max_steps=50_000)``)
    max_steps: int = 1_000_000
    #: automatic steps after which a command commits what it did and leaves the rest to a
    #: ``continue`` job that the engine runs at once (a *stretch*): a long automatic run
    #: holds at most this many steps in memory and in one transaction, and a crash loses
    #: at most one stretch. ``max_steps`` counts across the stretches of one run. Keep it
    #: well above :data:`wfengine.runtime.progress.WATCH_FROM` (1,024), or a cycle without
    #: progress is never caught early
    commit_every: int = 10_000
    #: elements and characters one TaskScript (or one activity's assignments at its start or
    #: end) may create or walk, all its statements together, counted as one evaluation's
    #: are (:mod:`wfengine.expressions.limits`); each statement also keeps its own limit. The
    #: default is one evaluation's budget, so a script costs at most what one expression may
    #: (without it, a script's length bounded it: 300 statements ``b = max(l)`` over a
    #: 300,000-item list held one command for half a minute)
    max_script_work: int = DEFAULT_LIMITS.max_work
    #: elements and characters all the expressions of one run of automatic work may create
    #: or walk together (conditions, scripts, assignments, parameters, deadlines: one
    #: command, and the stretches of a long run together; :mod:`wfengine.runtime.run_budget`).
    #: Spent, an expression fails as one past its own limit does: an incident to retry. The
    #: default, a hundred evaluations' budgets, is seconds of work; a host that runs
    #: definitions it does not trust may lower it
    max_run_work: int = 100 * DEFAULT_LIMITS.max_work
    #: instances one multi-instance activity may start (its MI condition's count)
    max_mi_instances: int = 10_000
    #: synchronous subflow nesting: an instance this deep may not start another synchronous
    #: subflow (a recursion that does not end); an asynchronous one starts a stack of its own.
    #: 0 forbids subflows, asynchronous ones too
    max_subflow_depth: int = 64
    #: process instances one command may create (a subflow that fans out recursively)
    max_new_instances: int = 10_000
    #: timers one instance may fire in its life: deadlines, timer events, repeating cycles,
    #: reminders (a deadline leading back to its own activity, or a cycle, re-arms for ever)
    max_timer_firings: int = 10_000
    #: the longest a deadline or timer may wait, literal or computed by an expression (a
    #: longer one is an incident on it when it is armed; a literal longer than the default,
    #: 100 years, is refused at validation and deploy)
    max_deadline: timedelta = LONGEST_WAIT

    def __post_init__(self) -> None:
        """Refuse a limit of the wrong type or out of bounds here, naming the field.

        Why: a wrong limit otherwise surfaced only at the first command that reached it, as
        a bare ``TypeError`` inside navigation (``max_steps='10'``, ``max_deadline=3600``
        for every deadline set) or as incidents that made no sense ("ran more than -5
        automatic steps")."""
        for name, (least, counted) in _COUNTS.items():
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(
                    f"RuntimeLimits.{name}: a whole number, not {type(value).__name__} {value!r}"
                )
            if value < least:
                raise ValueError(f"RuntimeLimits.{name}: at least {least} {counted} ({value})")
        wait = self.max_deadline
        if not isinstance(wait, timedelta):
            hint = (
                f" (timedelta(seconds={wait!r}))"
                if isinstance(wait, int | float) and not isinstance(wait, bool)
                else ""
            )
            raise TypeError(
                f"RuntimeLimits.max_deadline: a datetime.timedelta{hint}, "
                f"not {type(wait).__name__} {wait!r}"
            )
        if not timedelta(0) < wait <= MAX_DURATION:
            raise ValueError(
                f"RuntimeLimits.max_deadline: more than no time and at most "
                f"{MAX_DURATION.days:,} days, not {wait}"
            )


#: the whole-number limits: the least each may be and what it counts. The least is 0 where 0
#: forbids that kind of work (multi-instance activities, subflows, timers firing), 1 where 0
#: would refuse every command (no automatic step, no new instance: every start creates one)
_COUNTS = {
    "max_steps": (1, "automatic step per command"),
    # a stretch of no steps would commit and carry on for ever without running anything
    "commit_every": (1, "step per commit"),
    # 0: a script may still assign what costs nothing (numbers, names, scalar arithmetic)
    "max_script_work": (0, "elements and characters per script"),
    "max_run_work": (0, "elements and characters per run"),
    "max_mi_instances": (0, "instances per multi-instance activity"),
    "max_subflow_depth": (0, "levels of subflows"),
    "max_new_instances": (1, "new instance per command, as each start creates one"),
    "max_timer_firings": (0, "timer firings per instance"),
}


DEFAULT_RUNTIME_LIMITS = RuntimeLimits()


#: a job running longer than this (seconds) is stopped with its worker process (by
#: ``wfengine worker``'s supervisor): far beyond a database step, and beyond what applications
#: with sensible timeouts of their own take
DEFAULT_JOB_TIMEOUT = 300.0
#: after a stop request, how long (seconds) the running jobs may take to finish
DEFAULT_GRACE = 10.0
