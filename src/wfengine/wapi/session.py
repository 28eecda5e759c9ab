"""A WAPI session: WfMC Interface 2 as a Python client sees it, bound to one user.

``connect(engine, user)`` gives a :class:`Session` whose methods carry the WfMC operation
names in Python style (``WMOpenWorkList`` is :meth:`Session.open_work_list`,
``WMCompleteWorkItem`` :meth:`Session.complete_work_item`, ...). Every work-item operation acts
as the session's user and is checked by the engine's rules
(:mod:`wfengine.runtime.work_rules`): a refused one raises
:class:`~wfengine.errors.NotAuthorizedError` and is recorded in the audit trail. Reading and
controlling instances follow :mod:`wfengine.wapi.access` (with an organisation: administrators
everything, an instance's creator controls it, the users its work items concern read what
those items may read, a user the organisation does not know nothing), refusals recorded the
same way; process control (create, start, suspend, resume, terminate, abort, assign an
attribute) is recorded in the audit trail as the session's user's too. Lists are
opened, fetched from and closed as WfMC has them, and are also plain iterables. Which WfMC
operation maps to which method, and those left out with the reason, is in ``docs/wapi.md``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, NoReturn

from wfengine.definition.model import (
    DataField,
    FormalParameter,
    Package,
    WorkflowProcess,
)
from wfengine.errors import DataTypeError, IllegalStateError, NotFoundError
from wfengine.runtime.engine import Engine
from wfengine.runtime.engine_check import check_engine
from wfengine.runtime.host_arguments import check_user
from wfengine.runtime.id_arguments import (
    check_id,
    check_instance_id,
    check_process_id,
    check_work_item_id,
)
from wfengine.runtime.queries import (
    check_process_filter,
    named_state,
    open_work_item_state,
    refuse_unknown_filters,
    state_or_last_word,
)
from wfengine.runtime.snapshots import (
    ActivityInstanceSnapshot,
    InstanceSnapshot,
    InstanceSummary,
    WorkItemData,
    WorkItemSnapshot,
    work_item_snapshot,
)
from wfengine.runtime.states import ActivityState, ProcessState, WorkItemState
from wfengine.runtime.work_rules import asking
from wfengine.wapi.access import InstanceAccess, shown

if TYPE_CHECKING:
    from wfengine.runtime.compiled import CompiledProcess

#: how many items a work list reads from the store at a time
_BATCH = 100


class SessionEndedError(IllegalStateError, ValueError):
    """A session used after ``disconnect`` or after its engine was closed. A ``ValueError``
    too, which a disconnected session raised before it was an ``IllegalStateError``."""


class WorkList:
    """An open work list (``WMOpenWorkList``): the session user's open items, oldest first,
    read from the store a batch at a time as :meth:`fetch` asks (keyset paging: no item is
    handed out twice, and one that comes or goes meanwhile does not shift the others). The
    list moves forward by when items were made: a new item comes at its end and is fetched
    (one made by a command that began before the list passed its place but committed after
    is not: items are ordered by when their command began), but an older one that joins the
    list after the list has passed its place (released by someone else, reassigned or
    delegated to the user) is not; open a new list to see it.
    Each item is handed out as it stands when fetched: one that left the list after its
    batch was read (claimed by someone else, completed, withdrawn) is passed over. An item
    of a suspended instance is handed out marked ``suspended`` (every action on it is
    refused until the instance is resumed), as its batch's read found the instance: the
    states of a batch's instances are read once, not at every fetch. One list may be fetched
    from in several threads: a fetch waits for the one under way, so each item is still
    handed out once. A user the organisation no longer knows is handed nothing more."""

    def __init__(
        self,
        engine: Engine,
        user: str,
        state: WorkItemState | None,
        process_id: str | None,
        session: Session | None = None,
    ) -> None:
        self._engine, self._user, self._state, self._process = engine, user, state, process_id
        #: the session it was opened in: the list stops with it (disconnected, engine closed)
        self._session = session
        self._buffer: list[WorkItemSnapshot] = []
        self._last: WorkItemSnapshot | None = None
        self._done = False
        self.closed = False
        #: one fetch at a time. Why: two threads finding the buffer empty both read the batch
        #: after the same ``_last`` and handed out its items twice each
        self._turn = threading.Lock()

    def fetch(self) -> WorkItemSnapshot | None:
        """The next work item (``WMFetchWorkItem``), or None at the end of the list."""
        with self._turn:
            return self._next()

    def _next(self) -> WorkItemSnapshot | None:
        """:meth:`fetch`'s work, in its turn."""
        if self.closed:
            raise ValueError("this work list is closed")
        if self._session is not None:
            self._session._engine()  # a disconnected session, a closed engine: refused
        while True:
            read = not self._buffer and not self._done
            if read:
                self._buffer = self._engine.work_items_of(
                    self._user,
                    state=self._state,
                    process_id=self._process,
                    after=self._last,
                    limit=_BATCH,
                )
                self._buffer.reverse()
                self._done = not self._buffer
            if not self._buffer:
                return None
            if not read and self._user_left():  # (the store lists nothing for them now)
                self._buffer = []
                continue
            self._last = self._buffer.pop()  # the keyset moves on, whatever became of it
            current = self._still_listed(self._last)
            if current is not None:
                return current

    def _user_left(self) -> bool:
        """Whether the organisation no longer knows the user (``engine.directory`` replaced):
        they see no work item, not even from a batch read before (it was handed out)."""
        org = asking(self._engine.directory)
        return org is not None and not org.knows(self._user)

    def _still_listed(self, listed: WorkItemSnapshot) -> WorkItemSnapshot | None:
        """The item ``listed`` as it stands now, when it is still on this list (offered to
        the user and unclaimed, or held by them, in the state asked for); else None. (Its
        process never changes, and a batch read held only items of the process asked for.)
        Marked ``suspended`` as its batch found it: the item alone is read again."""
        try:
            record = self._engine.store.work_item(listed.id)
        except NotFoundError:  # (gone with its instance)
            return None
        item = work_item_snapshot(record, suspended=listed.suspended)
        state = item.state
        if self._state is not None and state is not self._state:
            return None
        if state is WorkItemState.OFFERED:
            return item if self._user in item.assignees else None
        return item if state.is_open and item.holder == self._user else None

    def close(self) -> None:
        """``WMCloseWorkList`` (after a fetch under way in another thread)."""
        with self._turn:
            self.closed = True
            self._buffer = []

    def __iter__(self) -> Iterator[WorkItemSnapshot]:
        while (item := self.fetch()) is not None:
            yield item

    def __enter__(self) -> WorkList:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Session:
    """Interface 2 for one user of one engine (``WMConnect``); see the module notes."""

    def __init__(self, engine: Engine, user: str) -> None:
        self.engine = check_engine(engine, "connect")
        self.user = _user(user, "user", "connect", "a session needs a user")
        if engine.closed:  # (WMConnect refused now, not at the session's first use)
            raise SessionEndedError(repr(engine), "closed", f"connect {self.user!r} to")
        self.connected = True
        self._access = InstanceAccess(engine, self.user)

    def disconnect(self) -> None:
        """``WMDisconnect``: the session is not used afterwards (the engine stays open)."""
        self.connected = False

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.disconnect()

    def _engine(self) -> Engine:
        """The engine, while this session may use it. Why: after ``disconnect`` the session
        is not used (WfMC), and after ``engine.close()`` a SQL store would quietly reopen its
        connections. Either is an :class:`~wfengine.errors.IllegalStateError` (a
        ``ValueError``) naming the session."""
        if not self.connected:
            raise SessionEndedError(f"the session of {self.user!r}", "disconnected", "use")
        if self.engine.closed:
            raise SessionEndedError(
                f"the session of {self.user!r}", "on an engine that was closed", "use"
            )
        return self.engine

    # -- process definitions -------------------------------------------------------------------

    def open_process_definitions_list(self) -> list[str]:
        """The ids of the deployed processes (``WMOpenProcessDefinitionsList``)."""
        engine = self._engine()
        self._access.check_known("the process definitions", "list")
        return engine.store.deployed_process_ids()

    # -- process control -----------------------------------------------------------------------

    def create_process_instance(
        self, process_id: str, data: Mapping[str, Any] | None = None
    ) -> str:
        """``WMCreateProcessInstance``: an instance not yet started; returns its id. The
        session's user is its creator (who may control it). A name in ``data`` the process
        does not declare raises :class:`~wfengine.errors.NotFoundError` naming those it does,
        as :meth:`assign_process_instance_attribute` does; nothing is created. A field may be
        given by its Name, as to ``Engine.create_instance`` (which keeps it under its Id); a
        Name that is no plain identifier (``"Days requested"``) is the engine's
        :class:`~wfengine.errors.DataTypeError` naming the Id to give."""
        check_process_id(process_id, "create_process_instance")
        engine = self._engine()
        self._access.check_known(f"process {process_id!r}", "create an instance of")
        # (not a mapping, or a key that is no str: the engine's TypeError, key types first)
        if isinstance(data, Mapping) and data and all(isinstance(n, str) for n in data):
            deployed = engine.startable(process_id)
            declared = _declared(deployed.package, deployed.definition)
            compiled = deployed.compiled
            where = f"a new instance of process {process_id!r}"  # the engine's words
            for name in data:
                if name not in declared and name not in compiled.field_names:
                    _refuse_undeclared(name, compiled, declared, where)
        return engine.create_instance(process_id, data, user=self.user)

    def start_process(self, instance_id: str) -> None:
        """``WMStartProcess``: start a created instance."""
        check_instance_id(instance_id, "start_process")
        self._control(instance_id, "start").start(instance_id, user=self.user)

    def terminate_process_instance(self, instance_id: str) -> None:
        """``WMTerminateProcessInstance``."""
        check_instance_id(instance_id, "terminate_process_instance")
        self._control(instance_id, "terminate").terminate(instance_id, user=self.user)

    def change_process_instance_state(self, instance_id: str, state: ProcessState | str) -> None:
        """``WMChangeProcessInstanceState``: to ``open.running`` (start or resume),
        ``open.not_running.suspended``, ``closed.terminated`` or ``closed.aborted``, each
        also by its last word (``running``, ``suspended``, ``terminated``, ``aborted``), as
        ``docs/wapi.md`` names them and as :meth:`change_work_item_state` takes its states."""
        check_instance_id(instance_id, "change_process_instance_state")
        moves = [*_SHORT_MOVES, *(m.value for m in _MOVES)]
        if isinstance(state, str):  # (a ProcessState's value is no last word: kept)
            state = _SHORT_MOVES.get(state, state)
        target = named_state(ProcessState, state, "change_process_instance_state", moves)
        if target not in _MOVES:
            raise ValueError(
                f"change_process_instance_state: an instance cannot be moved to "
                f"{target.value} from outside; state must be one of {', '.join(moves)}"
            )
        engine, user = self._control(instance_id, "change the state of"), self.user
        if target is ProcessState.RUNNING:
            current = engine.instance(instance_id).state
            if current is ProcessState.NOT_STARTED:
                engine.start(instance_id, user=user)
            else:
                engine.resume(instance_id, user=user)
        elif target is ProcessState.SUSPENDED:
            engine.suspend(instance_id, user=user)
        elif target is ProcessState.TERMINATED:
            engine.terminate(instance_id, user=user)
        else:
            engine.abort(instance_id, user=user)

    def change_activity_instance_state(
        self, instance_id: str, activity_instance_id: str, state: ActivityState | str
    ) -> None:
        """``WMChangeActivityInstanceState``: only to ``closed.aborted`` (also by its last
        word, ``aborted``, as :meth:`change_process_instance_state` takes its states), which
        cancels the open activity instance (``Engine.cancel_activity``: its work item is
        withdrawn and its branch ends there). Process control: administrators and the
        instance's creator."""
        command = "change_activity_instance_state"
        check_instance_id(instance_id, command)
        check_id(activity_instance_id, "activity_instance_id", "activity instance id", command)
        aborted = ActivityState.ABORTED.value
        short = aborted.rsplit(".", 1)[-1]
        if state == short:
            state = ActivityState.ABORTED
        target = named_state(ActivityState, state, command, (short, aborted))
        if target is not ActivityState.ABORTED:
            raise ValueError(
                f"change_activity_instance_state: an activity instance cannot be moved to "
                f"{target.value} from outside; state must be {short} or {aborted}"
            )
        engine = self._control(instance_id, "cancel an activity of")
        engine.cancel_activity(instance_id, activity_instance_id, user=self.user)

    def assign_process_instance_attribute(self, instance_id: str, name: str, value: Any) -> None:
        """``WMAssignProcessInstanceAttribute``: set one data field (or formal parameter) the
        instance's process declares, with a value of its type (converted where that loses
        nothing, as an application's answer is: ``"7"`` for an INTEGER); ``name`` is the
        field's Id, or its Name (README: data may name a field by its Name). A name the process
        does not declare raises :class:`~wfengine.errors.NotFoundError` (a Name that is no
        plain identifier, ``"Days requested"``, a :class:`~wfengine.errors.DataTypeError`
        naming the Id to give, as the engine's); a value of another
        type, or any value for a field declared ReadOnly (a constant of the process),
        :class:`~wfengine.errors.DataTypeError` (a ``ValueError``; a sensitive field's value
        is not shown); a value no store holds for a field of no checked type (a REFERENCE, a
        record: ``object()``, a set) the engine's :class:`~wfengine.errors.DataNotStorableError`
        (a ``TypeError``); each changes nothing. (``Engine.set_data`` is the host's own,
        unchecked way.)"""
        check_instance_id(instance_id, "assign_process_instance_attribute")
        check_id(name, "name", "data field id or name", "assign_process_instance_attribute")
        engine = self._control(instance_id, "assign an attribute of")
        snapshot = engine.instance(instance_id)
        deployed = engine.deployed(snapshot.process_id, snapshot.version)
        declared = _declared(deployed.package, deployed.definition)
        compiled = deployed.compiled
        if name not in declared:
            if name not in compiled.field_names:
                _refuse_undeclared(name, compiled, declared, f"instance {instance_id!r}")
            # a field's Name: the field, under its Id (as the engine keeps a value given by
            # Name; a Name several fields carry is refused naming them). No value is read
            (name,) = compiled.checked({name: None}, f"instance {instance_id!r}", writing=False)
        # a field declared ReadOnly is a constant of the process: no value is taken
        compiled.refuse_read_only((name,), f"instance {instance_id!r}")
        # not listed: not checked (a REFERENCE, a record); an array of records is listed,
        # kind None, and takes only a list, as a value the starter gives it does
        found = compiled.field_kinds.get(name)
        if found is not None:
            kind, is_array = found
            from wfengine.applications.coercion import CoercionError, coerce

            try:
                value = coerce(value, kind, is_array)
            except CoercionError as exc:
                # the instance's secrets: its process's, and a subflow's formal parameters
                # that took a sensitive field of its caller (``sensitive_extra``)
                hidden = engine.store.instance(instance_id).sensitive_fields
                shown = exc.hidden if name in hidden else str(exc)
                raise DataTypeError(
                    f"data field {name!r} of instance {instance_id!r}: {shown}"
                ) from None
        engine.set_data(instance_id, {name: value}, user=self.user)

    def _control(self, instance_id: str, operation: str) -> Engine:
        """The engine, when the session's user may control ``instance_id`` (an
        administrator, or its creator: :mod:`wfengine.wapi.access`); else refused and
        recorded."""
        engine = self._engine()
        self._access.control(instance_id, operation)
        return engine

    # -- status -------------------------------------------------------------------------------

    def open_process_instances_list(
        self, *, state: ProcessState | str | None = None, process_id: str | None = None
    ) -> list[InstanceSummary]:
        """``WMOpenProcessInstancesList`` (fetch by iterating the list): every instance for
        an administrator, else those the user may read (created, or concerned by one of
        their work items). ``state`` is a state's WfMC name or its last word (``running``,
        ``suspended``, ``completed``, ...), as :meth:`change_process_instance_state` takes
        them. A ``process_id`` never deployed raises :class:`~wfengine.errors.NotFoundError`
        naming those deployed, as ``wfengine instances --process`` does."""
        engine = self._engine()
        where = "open_process_instances_list"
        wanted = None if state is None else state_or_last_word(ProcessState, state, where)
        check_process_filter(process_id, "open_process_instances_list")
        self._access.check_known("the process instances", "list")
        refuse_unknown_filters(engine.store, process_id)
        found = engine.instance_summaries(state=wanted, process_id=process_id)
        return self._access.readable(found)

    def get_process_instance(self, instance_id: str) -> InstanceSnapshot:
        """``WMGetProcessInstance``: the whole instance for an administrator or its creator;
        for a user concerned by its work items, its data limited to the fields those items
        may read (``wfengine:reads``), sensitive ones masked; anyone else is refused."""
        check_instance_id(instance_id, "get_process_instance")
        engine = self._engine()
        reading = self._access.read(instance_id, "see")
        return shown(engine, engine.instance(instance_id), reading)

    def open_activity_instances_list(self, instance_id: str) -> list[ActivityInstanceSnapshot]:
        """``WMOpenActivityInstancesList`` of one process instance (for those who may read
        it)."""
        check_instance_id(instance_id, "open_activity_instances_list")
        engine = self._engine()
        self._access.read(instance_id, "see the activities of")
        return engine.activity_instances(instance_id)

    def get_activity_instance(
        self, instance_id: str, activity_instance_id: str
    ) -> ActivityInstanceSnapshot:
        """``WMGetActivityInstance``; an id the instance lacks is a
        :class:`~wfengine.errors.NotFoundError` (a ``KeyError`` too), as every unknown id is."""
        check_instance_id(instance_id, "get_activity_instance")
        check_id(
            activity_instance_id,
            "activity_instance_id",
            "activity instance id",
            "get_activity_instance",
        )
        for found in self.open_activity_instances_list(instance_id):
            if found.id == activity_instance_id:
                return found
        raise NotFoundError(
            "activity instance", activity_instance_id, f"in instance {instance_id!r}"
        )

    # -- work lists ---------------------------------------------------------------------------

    def open_work_list(
        self, *, state: WorkItemState | str | None = None, process_id: str | None = None
    ) -> WorkList:
        """``WMOpenWorkList``: the items offered to the user or held by them, filtered by
        ``state`` and ``process_id``; fetch with :meth:`WorkList.fetch` or iterate. A
        ``process_id`` never deployed raises :class:`~wfengine.errors.NotFoundError` naming
        those deployed, as ``wfengine worklist --process`` does. Why: a misspelt id answered
        an empty list, which reads as "no work"."""
        wanted = open_work_item_state(state, "open_work_list")  # refused here, not at fetch
        check_process_filter(process_id, "open_work_list")
        engine = self._engine()
        self._access.check_known("a work list", "open")
        refuse_unknown_filters(engine.store, process_id)
        return WorkList(engine, self.user, wanted, process_id, self)

    def get_work_item(self, work_item_id: str) -> WorkItemSnapshot:
        """``WMGetWorkItem``: refused (``NotAuthorizedError``) to a user the item is not
        offered to, held by, or supervised or administered by, as its data is; and to a user
        the organisation does not know whether the id exists or not."""
        check_work_item_id(work_item_id, "get_work_item")
        return self._seen(work_item_id, "see")

    def get_work_item_attributes(self, work_item_id: str) -> WorkItemData:
        """``WMOpenWorkItemAttributesList`` / ``WMGetWorkItemAttributeValue``: the instance
        data the item may read and the fields it may write; refused (``NotAuthorizedError``)
        to a user the item is not offered to, held by, or supervised or administered by.
        Sensitive fields are in clear only to whoever can act on the open item now (offered
        to them unclaimed, held, or delegated by them), administrators and the instance's
        creator; anyone else (a supervisor, its performer once it closed) sees ``***``, as
        :meth:`get_process_instance` shows them (:mod:`wfengine.wapi.access`)."""
        check_work_item_id(work_item_id, "get_work_item_attributes")
        item = self._seen(work_item_id, "see the data of")
        return self._access.item_data(item)

    def _seen(self, work_item_id: str, what: str) -> WorkItemSnapshot:
        """The item, when the session's user may see it; a refusal is recorded in the
        instance's audit trail (``operation.refused``), as every refusal of a work-item
        operation is, so who looked at what they may not see can be found later."""
        self._engine()  # a disconnected session, a closed engine: refused
        return self._access.seen_item(work_item_id, what)

    def _acting(self, work_item_id: str, operation: str) -> Engine:
        """The engine, for an action on a work item: a session that may still be used
        (``_engine``), and then a user the organisation knows (``refuse_stranger``). Why in
        that order: a session used after ``disconnect`` or ``engine.close()`` is refused
        with :class:`SessionEndedError`, recording nothing, as every other method refuses it;
        asked the other way round, a stranger's disconnected session recorded a refusal and
        raised ``NotAuthorizedError`` (on a closed engine, the store's own error)."""
        engine = self._engine()
        self._access.refuse_stranger(work_item_id, operation)
        return engine

    def complete_work_item(self, work_item_id: str, data: Mapping[str, Any] | None = None) -> None:
        """``WMCompleteWorkItem``, writing ``data`` into the instance."""
        check_work_item_id(work_item_id, "complete_work_item")
        self._acting(work_item_id, "complete").complete_work_item(
            work_item_id, data, user=self.user
        )

    def reassign_work_item(self, work_item_id: str, to: str) -> None:
        """``WMReassignWorkItem`` (the user must supervise or administer)."""
        check_work_item_id(work_item_id, "reassign_work_item")
        self._acting(work_item_id, "reassign").reassign_work_item(
            work_item_id,
            self.user,
            _user(to, "to", "reassign_work_item", "reassigning needs a user to reassign to"),
        )

    def change_work_item_state(
        self, work_item_id: str, state: WorkItemState | str
    ) -> WorkItemState:
        """The work-item life cycle as one state change: ``allocated`` claims an offered
        item, ``started`` starts the held one, ``offered`` releases it, ``completed``
        completes it without data. Returns the state the item is in afterwards, which is
        not always the one asked for: a delegate releasing (``offered``) returns the item to
        who delegated it (``allocated``), and a delegate completing an activity marked
        ``wfengine:delegation-confirm`` returns it to them to confirm (``allocated``)."""
        check_work_item_id(work_item_id, "change_work_item_state")
        moves = [m.value for m in _ITEM_MOVES]
        target = named_state(WorkItemState, state, "change_work_item_state", moves)
        engine = self._acting(work_item_id, "change the state of")
        if target is WorkItemState.ALLOCATED:
            engine.claim_work_item(work_item_id, self.user)
        elif target is WorkItemState.STARTED:
            engine.start_work_item(work_item_id, self.user)
        elif target is WorkItemState.OFFERED:
            engine.release_work_item(work_item_id, self.user)
        elif target is WorkItemState.COMPLETED:
            engine.complete_work_item(work_item_id, user=self.user)
        else:
            raise ValueError(
                f"change_work_item_state: a work item is not moved to {target.value} by its "
                f"user; state must be one of {', '.join(moves)}"
            )
        return engine.work_item(work_item_id).state

    def claim_work_item(self, work_item_id: str) -> None:
        check_work_item_id(work_item_id, "claim_work_item")
        self._acting(work_item_id, "claim").claim_work_item(work_item_id, self.user)

    def start_work_item(self, work_item_id: str) -> None:
        check_work_item_id(work_item_id, "start_work_item")
        self._acting(work_item_id, "start").start_work_item(work_item_id, self.user)

    def release_work_item(self, work_item_id: str) -> None:
        check_work_item_id(work_item_id, "release_work_item")
        self._acting(work_item_id, "release").release_work_item(work_item_id, self.user)

    def delegate_work_item(self, work_item_id: str, to: str) -> None:
        check_work_item_id(work_item_id, "delegate_work_item")
        self._acting(work_item_id, "delegate").delegate_work_item(
            work_item_id,
            self.user,
            _user(to, "to", "delegate_work_item", "delegating needs a user to delegate to"),
        )


def connect(engine: Engine, user: str) -> Session:
    """``WMConnect``: a session of ``user`` on ``engine``."""
    return Session(engine, user)


def _user(user: object, name: str, command: str, what: str) -> str:
    """``user`` when it names someone, checked as the engine checks its users
    (``check_user``: ``None`` or ``""`` a ``ValueError``, another type a ``TypeError``, both
    naming the argument), the message led by ``what``. Why: inside the engine's rules
    ``None`` is the host acting as administrator, so a ``None`` user passed through a session
    would be accepted and leave an item held by nobody; and a session raised ``ValueError``
    for a number where the engine raises ``TypeError``."""
    try:
        return check_user(user, name, command)
    except TypeError as exc:
        raise TypeError(f"{what}: {exc}") from None
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None


#: the states a session may move an instance to
_MOVES = (
    ProcessState.RUNNING,
    ProcessState.SUSPENDED,
    ProcessState.TERMINATED,
    ProcessState.ABORTED,
)
#: the same by their last word (``suspended`` for ``open.not_running.suspended``)
_SHORT_MOVES = {move.value.rsplit(".", 1)[-1]: move for move in _MOVES}
#: the states a work item's user moves it to
_ITEM_MOVES = (
    WorkItemState.ALLOCATED,
    WorkItemState.STARTED,
    WorkItemState.OFFERED,
    WorkItemState.COMPLETED,
)


def _refuse_undeclared(
    name: str, compiled: CompiledProcess, declared: set[str], where: str
) -> NoReturn:
    """Refuse a data name the process does not declare: a field's Name that is no plain
    identifier (``"Days requested"``) with the engine's own
    :class:`~wfengine.errors.DataTypeError` naming the Id to give (``compiled.checked``, no
    value read), any other name with a :class:`~wfengine.errors.NotFoundError` naming those
    it declares. Why: "no data field" for a field the process has sent the user looking for
    a field that is there, where the engine says which Id to use."""
    compiled.checked({name: None}, where, writing=False)
    listed = ", ".join(sorted(declared)) or "none"
    whose = f"process {compiled.process_id!r} declares {listed}"
    raise NotFoundError("data field", name, whose)


def _declared(package: Package, process: WorkflowProcess) -> set[str]:
    """The ids of what ``process`` can hold: the package's and its own data fields and its
    formal parameters."""
    fields: list[DataField | FormalParameter] = [*package.data_fields, *process.data_fields]
    fields.extend(process.formal_parameters)
    return {item.id for item in fields}
