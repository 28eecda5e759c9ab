"""The SQL store's unit of work: one engine command's identity map, row bookkeeping and connection.

Within a command every instance and work item read is kept here, so the command sees one object
per id (a subflow's parent and child read twice are one object each). Next to each instance the
unit keeps what the database holds of it: the **row version** it was read at (the next write
must still find it: optimistic concurrency) and how many audit events are stored. Keeping that
here, not on :class:`~wfengine.runtime.instance.ProcessInstance`, leaves the runtime's records
free of SQL bookkeeping; an instance the unit does not know is one the step creates.

The unit also holds the one pooled connection its command checked out (at its first statement)
until it ends. When the outermost unit ends, by success or exception, all of it is forgotten, so
the next command starts from what is committed and a half-changed object never outlives a failed
command.

Each thread has a unit of its own (:class:`ThreadUnits`). Why: engines in several threads may
share one store (``Worker(lambda: Engine(store=shared))``), and with one unit per store their
commands read each other's half-done instances, committed them, and closed each other's
connection. Now each thread's command has its own identity map and connection, as on a store of
its own, and a read from a thread outside a command (lease renewal, a host's listing while the
engine's thread runs a command) sees what is committed only.
"""

from __future__ import annotations

import threading
from typing import Any, NamedTuple

import sqlalchemy as sa

from wfengine.expressions.shared_budget import current_budget
from wfengine.runtime.instance import ProcessInstance, WorkItem
from wfengine.runtime.run_budget import RunBudget
from wfengine.runtime.states import WorkItemState


class Stored(NamedTuple):
    """An instance as the unit read or wrote it, with its row's bookkeeping."""

    instance: ProcessInstance
    #: the ``process_instances.version`` this object was read (or last written) at
    row_version: int
    #: the seq of the instance's last stored audit event
    audit_seq: int
    #: the hash of that event (the head of the instance's audit chain), None before any
    audit_head: str | None = None
    #: the instance's ``tokens`` rows as stored (:func:`~wfengine.runtime.sql.rows.
    #: token_key`): a commit that leaves them as they were writes none
    tokens: tuple[tuple[Any, ...], ...] = ()
    #: the ``process_instances.state`` stored (None: not known), so an update that leaves
    #: the state as it was need not set it (:class:`~wfengine.runtime.sql.commit.StepWriter`)
    state: str | None = None


class Aside:
    """What a long command took out of one instance before its commit
    (:meth:`~wfengine.runtime.sql.commit.StepWriter.set_aside`): audit rows and the rows of retired
    activity instances, already in the driver's form, and where the audit chain goes on."""

    __slots__ = ("activities", "audit", "changed", "head", "next_seq")

    def __init__(self, next_seq: int, head: str | None) -> None:
        #: rendered ``audit_events`` and ``activity_instances`` rows (plain tuples)
        self.audit: list[tuple[Any, ...]] = []
        self.activities: list[tuple[Any, ...]] = []
        #: the seq of the next audit event, and the hash of the last one set aside
        self.next_seq = next_seq
        self.head = head
        #: activity instances whose changes were set aside: the commit writes the row of
        #: each that is still live, in the state it is in then (the others were retired
        #: and their rows are in :attr:`activities`)
        self.changed: set[str] = set()


class UnitOfWork:
    """The state of the command in progress on one store in one thread (re-entrant: see
    :meth:`enter`)."""

    def __init__(self) -> None:
        self.depth = 0
        #: the connection the unit holds (None until its first statement)
        self.connection: sa.Connection | None = None
        self._instances: dict[str, Stored] = {}
        self._work_items: dict[str, WorkItem] = {}
        #: each remembered item's state as stored (items are changed in place before commit)
        self._stored_states: dict[str, WorkItemState] = {}
        self._stored_assignees: dict[str, tuple[str, ...]] = {}
        #: instance id -> the row versions its work items were read with (see
        #: :meth:`remember_work_item`)
        self._item_versions: dict[str, set[int]] = {}
        #: instance id -> what the command set aside of it for its commit
        self._asides: dict[str, Aside] = {}

    @property
    def active(self) -> bool:
        return self.depth > 0

    def on_this_thread(self) -> bool:
        """Is a unit open, run by the calling thread (which may then use its connection)?
        (Always the calling thread's: each has a unit of its own, :class:`ThreadUnits`.)"""
        return self.depth > 0

    def enter(self) -> None:
        """Open the unit, or join the one open (a command inside a command)."""
        self.depth += 1

    def leave(self) -> sa.Connection | None:
        """Close one level; when the outermost ends, forget everything and return the
        connection to give back (the caller closes it)."""
        self.depth -= 1
        if self.depth:
            return None
        self._instances.clear()
        self._work_items.clear()
        self._stored_states.clear()
        self._stored_assignees.clear()
        self._item_versions.clear()
        self._asides.clear()
        conn, self.connection = self.connection, None
        return conn

    # -- the identity map ----------------------------------------------------------------------

    def instance(self, instance_id: str) -> ProcessInstance | None:
        found = self._instances.get(instance_id)
        return None if found is None else found.instance

    def stored(self, inst: ProcessInstance) -> Stored | None:
        """What the database holds of this very object; None for an instance not stored yet."""
        found = self._instances.get(inst.id)
        return found if found is not None and found.instance is inst else None

    def remember(
        self,
        inst: ProcessInstance,
        row_version: int,
        audit_seq: int,
        audit_head: str | None,
        tokens: tuple[tuple[Any, ...], ...] = (),
        state: str | None = None,
    ) -> None:
        """Keep ``inst`` for the rest of the unit (nothing is kept outside a unit)."""
        if self.depth:
            self._instances[inst.id] = Stored(
                inst, row_version, audit_seq, audit_head, tokens, state
            )

    def aside(self, inst: ProcessInstance) -> Aside:
        """What this command has set aside of ``inst`` so far (made empty at the first call,
        its audit chain going on from the stored one)."""
        found = self._asides.get(inst.id)
        if found is None:
            known = self.stored(inst)
            found = (
                Aside(1, None) if known is None else Aside(known.audit_seq + 1, known.audit_head)
            )
            self._asides[inst.id] = found
        return found

    def take_aside(self, inst: ProcessInstance) -> Aside | None:
        """What was set aside of ``inst``, for its commit (and forgotten here)."""
        return self._asides.pop(inst.id, None)

    def work_item(self, work_item_id: str) -> WorkItem | None:
        return self._work_items.get(work_item_id)

    def remember_work_item(self, item: WorkItem, instance_version: int | None = None) -> None:
        """Keep ``item`` for the rest of the unit. ``instance_version`` is the row version
        its instance had in the same statement that read the item: a work item has no
        version of its own, its instance's version stands for it (every change to an item
        is a change to its instance), so a command that read the item at one version and
        its instance at another saw two moments and must run again
        (:meth:`stale_items`)."""
        if self.depth:
            self._work_items[item.id] = item
            self._stored_states[item.id] = item.state
            self._stored_assignees[item.id] = item.assignees
            if instance_version is not None:
                self._item_versions.setdefault(item.instance_id, set()).add(instance_version)

    def stale_items(self, instance_id: str, row_version: int) -> bool:
        """Whether some work item of ``instance_id`` was read with another row version of
        it than ``row_version``, the one the instance itself was read at (on a database
        whose reads are separate statements, another engine may commit between them)."""
        seen = self._item_versions.get(instance_id)
        return seen is not None and seen != {row_version}

    def stored_assignees(self, work_item_id: str) -> tuple[str, ...]:
        """Who ``work_item_id`` was offered to as stored (empty for a new item)."""
        return self._stored_assignees.get(work_item_id, ())

    def stored_state(self, work_item_id: str) -> WorkItemState | None:
        """The state ``work_item_id`` has in the database as this unit read or wrote it
        (None for an item this unit did not read: a new one)."""
        return self._stored_states.get(work_item_id)


class ThreadUnits(threading.local):
    """One store's per-thread state: each thread's :class:`UnitOfWork`, and the rows its last
    job claim read (``SqlStore.claim_jobs``: the commands running those jobs in the same thread
    take them). A thread's state goes with the thread."""

    def __init__(self) -> None:  # (run in each thread at its first use)
        self.unit = UnitOfWork()
        #: job id -> the job's row with its instance's, from this thread's last claim
        self.claimed: dict[str, dict[str, Any]] = {}
        #: the command (its budget, :mod:`~wfengine.runtime.run_budget`) whose unit is open
        self.command: object = None
        #: the units (and their commands) set aside for commands inside them, innermost last
        self._outer: list[tuple[UnitOfWork, object]] = []

    def enter(self) -> UnitOfWork | None:
        """Open this thread's unit, or join the open one (a unit inside a command: its
        calls' audit after a lost race); returns the unit set aside, to restore when the
        unit entered now ends, when another engine's command starts inside the open
        command (an application calling a second engine that shares this store).

        Why such a command gets a unit of its own: joining, it read the outer command's
        half-done instance from the identity map and committed it (the outer command's
        application call audited as invoked, never as answered); the outer command then lost
        its race and failed with a KeyError, the instance left half-written. On a unit of its
        own it reads and commits what is stored, as an engine on a store of its own does,
        and the outer command runs again if they changed the same instance."""
        unit, command = self.unit, current_budget()
        if not unit.depth:
            self.command = command
        elif (
            command is not self.command
            and isinstance(command, RunBudget)
            and isinstance(self.command, RunBudget)
        ):
            self._outer.append((unit, self.command))
            self.unit, self.command = UnitOfWork(), command
            self.unit.enter()
            return unit
        unit.enter()
        return None

    def restore(self) -> None:
        """The unit :meth:`enter` set aside is this thread's again (its inner one ended)."""
        self.unit, self.command = self._outer.pop()
