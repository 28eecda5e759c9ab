"""What the navigator may use of the engine running a command, and nothing more.

The navigator is the engine's state machine: given the records of a command it works out what
changes. It reads instances and work items, takes ids, asks who performs a participant, stays
within the limits, calls applications and finds deployed processes (for subflows), and that
is all it may do: it never commits, never opens a unit of work and never sees the
:class:`~wfengine.runtime.engine.Engine` itself. :class:`NavigationContext` is that surface;
an engine is one (structurally), and a test or a simulator can pass any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from wfengine.applications.registry import ApplicationRegistry
from wfengine.errors import DeployError
from wfengine.runtime.clock import Clock
from wfengine.runtime.deployment import DeployedProcess
from wfengine.runtime.directory import Directory
from wfengine.runtime.ids import IdGenerator
from wfengine.runtime.instance import ProcessInstance, WorkItem
from wfengine.runtime.limits import RuntimeLimits


class Reads(Protocol):
    """The store's reads the navigator needs (inside the command's unit of work)."""

    def instance(self, instance_id: str) -> ProcessInstance: ...

    def work_item(self, work_item_id: str) -> WorkItem: ...


class SplitChooser(Protocol):
    """Decides a split's ways instead of its conditions (a simulation's branch
    probabilities): given the instance, the activity and its ways out (transition ids, in
    evaluation order, the OTHERWISE one last), returns the ids to take, or None to let the
    conditions decide. ``exclusive``: the split takes one way (XOR)."""

    def __call__(
        self, instance: ProcessInstance, activity_id: str, ways: Sequence[str], exclusive: bool
    ) -> Sequence[str] | None: ...


class NavigationContext(Protocol):
    """The engine as the navigator sees it."""

    @property
    def store(self) -> Reads: ...

    @property
    def ids(self) -> IdGenerator: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def directory(self) -> Directory: ...

    @property
    def limits(self) -> RuntimeLimits: ...

    @property
    def applications(self) -> ApplicationRegistry: ...

    @property
    def split_chooser(self) -> SplitChooser | None: ...

    def next_timer_seq(self) -> int:
        """The next creation number of a timer or job (their tie-breaker when due together)."""
        ...

    @property
    def command_origin(self) -> str:
        """What names the running command among all commands, the same when it is run again
        after a lost race (the job's id for a job's command)."""
        ...

    def latest(self, process_id: str) -> DeployedProcess | None:
        """The latest deployed version of a process (a subflow starts it), or None."""
        ...

    def refusal(self, process_id: str) -> DeployError | None:
        """Why the last deploy refused a process, when it did."""
        ...

    def deployed(self, process_id: str, version: int | None = None) -> DeployedProcess:
        """One version of a deployed process."""
        ...

    def startable(self, process_id: str, version: int | None = None) -> DeployedProcess:
        """The version of a process a new instance starts on: the newest whose validity
        period (``ValidFrom``/``ValidTo``) holds now; ``IllegalStateError`` when none does."""
        ...
