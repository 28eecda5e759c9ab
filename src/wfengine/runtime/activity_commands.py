"""Commands that act on an instance's activities from outside: cancelling one (WfMC's change of
an activity instance's state to aborted; the cancel-activity pattern, WCP19) and sending a
message that a catch event waits for."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any

from wfengine.errors import DeployError, IllegalStateError, NotFoundError
from wfengine.runtime.acted_by import name_user
from wfengine.runtime.activity_holders import holders
from wfengine.runtime.compiled import CActivity
from wfengine.runtime.correlation_lookup import (
    correlation_readings,
    known_correlation_keys,
    shown_keys,
)
from wfengine.runtime.deployment import DeployedProcess
from wfengine.runtime.deployment_reads import DeploymentReads
from wfengine.runtime.engine_base import EngineBase
from wfengine.runtime.history import EventKind, MessageReceived, SignalReceived, change
from wfengine.runtime.host_arguments import check_acting_user, check_mapping, described
from wfengine.runtime.id_arguments import check_id, check_instance_id
from wfengine.runtime.instance import ActivityInstance, ProcessInstance
from wfengine.runtime.message_starts import not_started_by, startable_now
from wfengine.runtime.navigation.events import signal_waiters
from wfengine.runtime.navigation.lifecycle import instance_data
from wfengine.runtime.navigation.signal_waiters import signal_index, signal_taken
from wfengine.runtime.snapshots import ActivityInstanceSnapshot
from wfengine.runtime.start_points import instantiates, message_start_points, signal_starts
from wfengine.runtime.states import ProcessState
from wfengine.runtime.trigger_names import check_trigger_name, respelt
from wfengine.runtime.values import check_storable, owned_values

_log = logging.getLogger(__name__)

#: a closed activity instance as its history holds it, and whether it was multi-instance
#: (the container or one of its instances)
ClosedActivity = tuple[ActivityInstanceSnapshot, bool]
#: what a cancel records that names who asked (when its payload carries a user): the
#: activities it closed, the work items it withdrew, the incidents that held them (ended with
#: them); and in the synchronous subflow instances it closed, their closing too
_CANCELLING = frozenset(
    {
        EventKind.ACTIVITY_ABORTED.value,
        EventKind.WORK_ITEM_CANCELLED.value,
        EventKind.INCIDENT_ABORTED.value,
    }
)
_CANCELLING_SUBFLOW = _CANCELLING | {EventKind.INSTANCE_STATE.value}


class ActivityCommands(EngineBase):
    """Commands on activity instances (:class:`~wfengine.runtime.engine.Engine` mixes this
    in)."""

    def send_message(
        self,
        name: str,
        data: Mapping[str, Any] | None = None,
        *,
        instance_id: str | None = None,
        correlation: Mapping[str, Any] | None = None,
        keep: bool = True,
    ) -> bool:
        """Send message ``name`` (with ``data``, merged into the instance's data when a catch
        takes it) to an open instance, named by ``instance_id`` or found by ``correlation``
        (``{"acceptance_no": "A-17"}``: fields its process declares in the extended attribute
        ``wfengine:correlation``; an index lookup on the SQL store; none or several matching
        raise :class:`~wfengine.errors.NotFoundError` / ``IllegalStateError``; of several, only
        those whose process catches ``name`` count: a caller and its subflow sharing a key).
        The oldest intermediate message catch event of that name waiting takes it and its
        thread goes on (True); when none waits, the message is kept on the instance until one does
        (False: a persistent trigger). Both are audited (``message.received``,
        ``message.kept``). ``keep=False`` delivers it only to a catch waiting now: when none
        waits (or the instance is suspended) it is not kept, nothing changes and nothing is
        audited (False). Why: the host's check "is a catch waiting?" and a
        ``send_message`` after it are two commands, and a timer firing between them (the
        catch's deadline) would leave the message kept, to be taken by a later wait as the
        answer to something the sender never saw; with ``keep=False`` the check and the
        delivery are one command, and False tells the host to file the message another way
        (``set_data``, say). A closed instance refuses it, and so does one whose process has
        no catch event for ``name`` (:class:`~wfengine.errors.NotFoundError` listing the
        messages it catches): kept, a misspelt message would wait for ever. ``data`` is
        checked against the declared types of the process's fields, as a starter's is
        (:class:`~wfengine.errors.DataTypeError`, before anything changes)."""
        check_trigger_name(name, "message", "send_message")
        if (instance_id is None) == (correlation is None):
            raise ValueError("send a message to an instance_id or by correlation, one of them")
        if instance_id is not None:
            check_instance_id(instance_id, "send_message")
        check_mapping(data, "data", "send_message")
        check_mapping(correlation, "correlation", "send_message")
        if not isinstance(keep, bool):  # ("no", 0.0, None: any truthy text kept the message)
            raise TypeError(f"send_message: keep must be True or False, not {described(keep)}")
        values = dict(data or {})
        if values:
            check_storable(values, f"message {name!r}")
        target = (
            instance_id
            if instance_id is not None
            else self.correlated_instance(correlation or {}, message=name)
        )

        def body() -> bool:
            inst = self.store.instance(target)
            if inst.state.is_closed:
                raise IllegalStateError(  # "cannot deliver message 'go' to process instance"
                    f"process instance {target!r}", inst.state.value, f"deliver message {name!r} to"
                )
            caught = inst.compiled.messages_caught()
            if name not in caught:
                spelt = respelt(name, caught.__contains__)
                raise NotFoundError(
                    "catch event for message",
                    name,
                    f"in process {inst.process_id!r} of instance {target!r}; it catches: "
                    f"{', '.join(sorted(caught)) or 'none'}; {f'{spelt}; ' if spelt else ''}"
                    "a message nothing can take is not kept; nothing was changed",
                )
            where = f"message {name!r} to instance {target!r} of process {inst.process_id!r}"
            data = inst.compiled.checked(values, where) if values else values
            nav = self._nav()
            if not keep and not (
                inst.state is ProcessState.RUNNING and nav._give(inst, name, data, dry=True)
            ):
                return False  # nothing waits now and it is not to be kept: nothing changed
            taken = nav.deliver_message(inst, name, data)
            self._commit(nav)
            return taken

        return self._command(body)

    def start_by_message(self, name: str, data: Mapping[str, Any] | None = None) -> str:
        """Start a new instance on message ``name``: of the process whose version valid now
        (:meth:`startable`: a version deployed ahead of its ``ValidFrom`` does not start yet,
        nor does its start message) has a Message start event that takes that message (its
        Message's Name, else Id, else the event's Name or Id), at that start event only, with
        ``data`` as its data;
        audited as ``message.received`` on the start event. Returns the instance id. No such
        process is a :class:`~wfengine.errors.NotFoundError`; start events of that message in
        several processes an ``IllegalStateError`` (send to one by starting it by name). A
        process whose latest stored version no longer compiles (stored by an earlier wfengine)
        is passed over, and named in the ``NotFoundError`` when no other takes the message.
        A receive task with ``Instantiate="true"`` and no way in is such a start too (as
        BPMN tools draw a process a message starts): the instance starts there and the task
        takes the message at once (``message.received`` on the task); so is an event-based
        gateway with ``Instantiate="true"`` and no way in, one of whose ways leads to a catch
        of the message: the instance starts at the gateway and that catch begins first and
        takes the message, the other ways withdrawn before they begin (a person's task there
        is never offered, a timer never armed)."""
        check_trigger_name(name, "message", "start_by_message")
        check_mapping(data, "data", "start_by_message")
        values = dict(data or {})
        if values:
            check_storable(values, f"message {name!r}")
        found: list[tuple[str, int]] = []
        broken: list[str] = []
        for process_id, deployed in startable_now(self, name, broken):
            found.extend((process_id, i) for i in message_start_points(deployed.compiled, name))
        if not found:
            where = not_started_by(self, name, broken)
            spelt = respelt(name, self._message_starts)
            raise NotFoundError(
                "Message start event", name, f"{spelt}; {where}" if spelt else where
            )
        if len({p for p, _ in found}) > 1:
            shown = ", ".join(sorted({repr(p) for p, _ in found}))
            raise IllegalStateError(f"message {name!r}", f"started by {shown}", "start by")
        process_id, at = found[0]

        def body() -> str:
            deployed = self.startable(process_id)  # (an older version when only it is valid)
            compiled = deployed.compiled
            starts = message_start_points(compiled, name)
            if not starts:
                where = f"in process {process_id!r} v{deployed.version}, the version valid now"
                raise NotFoundError("Message start event", name, where)
            start_at = at if at in starts else starts[0]
            nav = self._nav()
            inst = nav.new_instance(compiled, deployed.version, values)
            start = compiled.graph.activities[start_at]
            if instantiates(start):  # its receive task / catch takes it as it begins (kept)
                where = f"message {name!r} starting process {process_id!r}"
                kept = dict(compiled.checked(values, where)) if values else {}
                inst.messages.append((name, kept, nav.now))
            else:
                received = MessageReceived(name, tuple(sorted(values)))
                inst.changes.append(change(nav.now, received, None, start.id))
            nav.start_instance(inst, at=start_at)
            self._commit(nav)
            return inst.id

        return self._command(body)

    def broadcast_signal(self, name: str, data: Mapping[str, Any] | None = None) -> int:
        """Broadcast signal ``name`` (with ``data``, merged into each instance that takes it):
        every intermediate signal catch event of that name waiting, in every running
        instance, takes it and its thread goes on (``signal.received``), and every signal
        event of that name attached to a running activity fires. A signal nobody
        waits for is lost (a transient trigger). Each instance is its own command, so
        engines broadcasting at once deliver to each catch once; instances are reached in
        creation order, a caller before its subflows (an interrupting signal event attached
        to a subflow activity closes the subflow before its own catch takes the signal).
        Then each process whose version valid now (:meth:`startable`) has a Signal start
        event of that name starts one instance there, with ``data`` as its data
        (``signal.received`` on the start event), after the catches that waited took it (a
        new instance's own catches do not take the signal that started it); processes in
        the order of their ids. Returns how many catches took it plus how many instances it
        started. ``data`` is checked against the declared types of every process (version)
        with an instance it reaches or that it starts, and the initial values of those it
        starts computed, before any takes it: a value one of them cannot take is a
        :class:`~wfengine.errors.DataTypeError` and the signal reaches no one. A name no
        version takes as spelt, but one takes spelt composed (NFC) or decomposed (NFD),
        looking the same, is a ``NotFoundError`` saying which to write."""
        check_trigger_name(name, "signal", "broadcast_signal")
        check_mapping(data, "data", "broadcast_signal")
        values = dict(data or {})
        if values:
            check_storable(values, f"signal {name!r}")
        reads = DeploymentReads(self.store)  # (both looks below read the versions once)
        waiters = signal_waiters(reads, name)
        if values and waiters:
            self._check_signal_data(name, values, waiters)
        starters = self._signal_starters(name, reads)
        now = self.clock.now()
        for deployed in starters:  # what each would start with: its initial values too
            where = f"signal {name!r} starting process {deployed.process_id!r}"
            instance_data(deployed.compiled, values, lambda: now, f"{where} v{deployed.version}")
        if not waiters and not starters:
            _refuse_respelt_signal(name, reads)
        taken = 0
        for instance_id in waiters:
            taken += self._signal_one(instance_id, name, values)
        for deployed in starters:
            taken += self._start_by_signal(deployed.process_id, name, values)
        if not taken:
            _log.info("signal %r was lost: nothing waited for it", name)
        return taken

    def _message_starts(self, name: str) -> bool:
        """Does the latest stored version of a deployed process start on message ``name``?"""
        for process_id in self.store.deployed_process_ids():
            try:
                latest = self.store.deployment(process_id)
            except DeployError:
                continue
            if latest is not None and message_start_points(latest.compiled, name):
                return True
        return False

    def _signal_starters(self, name: str, reads: DeploymentReads) -> list[DeployedProcess]:
        """The version valid now of each process, by id, that has a Signal start event of
        ``name`` there (a process with no version valid now, or one that no longer
        compiles, starts nothing: the signal is not refused for it). Only the processes
        with a stored version that signal starts are asked which version is valid now: the
        others are passed over by the versions ``reads`` has read already."""
        found: list[DeployedProcess] = []
        for process_id in sorted(reads.signal_started(name)):
            try:
                deployed = self.startable(process_id)
            except (DeployError, IllegalStateError, NotFoundError):
                continue
            if signal_starts(deployed.compiled, name):
                found.append(deployed)
        return found

    def _start_by_signal(self, process_id: str, name: str, values: dict[str, Any]) -> int:
        """Start an instance of ``process_id`` at its Signal start event ``name`` (1), in
        its own command; 0 when the version valid now no longer has one (deployed since)."""

        def body() -> int:
            try:
                deployed = self.startable(process_id)
            except (DeployError, IllegalStateError, NotFoundError):
                return 0
            starts = signal_starts(deployed.compiled, name)
            if not starts:
                return 0
            nav = self._nav()
            inst = nav.new_instance(deployed.compiled, deployed.version, values)
            start = deployed.compiled.graph.activities[starts[0]]
            received = SignalReceived(name, tuple(sorted(values)))
            inst.changes.append(change(nav.now, received, None, start.id))
            nav.start_instance(inst, at=starts[0])
            self._commit(nav)
            return 1

        return self._command(body)

    def _check_signal_data(self, name: str, values: dict[str, Any], waiters: list[str]) -> None:
        """Refuse ``values`` (DataTypeError) when the process of an instance in ``waiters``
        that can take signal ``name`` declares a field of a type a value does not fit."""
        seen: set[tuple[str, int]] = set()
        for instance_id in waiters:
            summary = self.store.instance_summary(instance_id)
            key = (summary.process_id, summary.version)
            if key in seen:
                continue
            seen.add(key)
            deployed = self.store.deployment(*key)
            if deployed is not None and signal_index(deployed).takes(name):
                where = f"signal {name!r} to process {key[0]!r} version {key[1]}"
                deployed.compiled.checked(values, where)

    def _signal_one(self, instance_id: str, name: str, values: dict[str, Any]) -> int:
        def body() -> int:
            inst = self.store.instance(instance_id)
            where = f"signal {name!r} to instance {instance_id!r}"
            data = inst.compiled.checked(values, where) if values else values
            nav = self._nav()
            found = nav.deliver_signal(inst, name, data)
            if found:
                self._commit(nav)
            return found

        return self._command(body)

    def correlated_instance(
        self, correlation: Mapping[str, Any], *, message: str | None = None
    ) -> str:
        """The one open instance whose correlation keys hold ``correlation``'s values
        (:class:`~wfengine.errors.NotFoundError` when none does, ``IllegalStateError`` when
        several do); ``message`` names what is looking, for the errors. Each value is read
        by its key field's declared type, as the instance's data was when it was stored
        (``{"amount": 10}`` finds the FLOAT ``amount`` holding 10.0), in every stored version
        of the process, so that instances of an older version are found by their own
        version's types and keys; a key without a value (None) matches no instance. With
        ``message`` given, only instances whose process version catches it count when
        several match (a caller and its subflow sharing the key, say); when none of them
        does, all do, and the send names what the instance catches."""
        if message is not None:
            check_trigger_name(message, "message", "correlated_instance", "message")
        check_mapping(correlation, "correlation", "correlated_instance", required=True)
        keys = dict(correlation)
        what = f"message {message!r}" if message is not None else "correlation"
        if not keys:
            raise ValueError(f"{what}: correlation names no key")
        check_storable(
            keys, f"{what}, correlation"
        )  # (a 5,000-digit int: named, not a bare ValueError)
        every = list(self._every_deployed())
        known_correlation_keys(every, keys, message, what)
        found: list[str] = []
        readings, refused = correlation_readings(every, keys)
        for reading in readings:
            found.extend(i for i in self.store.correlated(reading) if i not in found)
        if not found:
            shown = shown_keys(every, keys)
            why = f"; no process correlated by it can hold the value: {refused}" if refused else ""
            raise NotFoundError("open process instance with correlation", shown, f"for {what}{why}")
        if len(found) > 1 and message is not None:
            found = self._catching(found, message) or found
        if len(found) > 1:
            raise IllegalStateError(what, f"correlated with {len(found)} open instances", "deliver")
        return found[0]

    def _catching(self, found: list[str], message: str) -> list[str]:
        """The instances in ``found`` whose process version catches ``message``. Why: a
        caller and the subflow it calls often correlate by the same business key (passed
        down), and a message only the subflow catches was refused as "correlated with 2 open
        instances" although only one of them could ever take it."""
        catching: list[str] = []
        for instance_id in found:
            summary = self.store.instance_summary(instance_id)
            try:
                deployed = self.store.deployment(summary.process_id, summary.version)
            except DeployError:
                continue  # (a version that no longer compiles runs nowhere)
            if deployed is not None and message in deployed.compiled.messages_caught():
                catching.append(instance_id)
        return catching

    def _every_deployed(self) -> Iterator[DeployedProcess]:
        """Every stored version of every deployed process, passing over those that no longer
        compile (they run nowhere). A version is compiled once and kept (the store's
        deployment cache), so after the first look this costs a version list per process."""
        for process_id in self.store.deployed_process_ids():
            for version in self.store.versions(process_id):
                try:
                    deployed = self.store.deployment(process_id, version)
                except DeployError:
                    continue
                if deployed is not None:
                    yield deployed

    def cancel_activity(
        self, instance_id: str, activity_instance_id: str, *, user: str | None = None
    ) -> None:
        """Cancel an open activity instance: it closes as ``closed.aborted`` (audited), its
        open work item is withdrawn, whatever runs under it (a block's activities, a
        synchronous subflow, a multi-instance activity's instances) is cancelled too, and its
        branch ends there: its outgoing transitions are not followed. An instance of a
        multi-instance activity cancels the whole activity. The instance carries on with its
        other branches (and completes if none is left). ``user``: who asked (None: the host),
        named as :meth:`terminate` names it on the ``instance.state`` of the synchronous
        subflows it closes, and on each event of the cancel whose payload carries a user
        (:mod:`wfengine.runtime.acted_by`): the ``activity.aborted`` of each activity it
        closes (:class:`~wfengine.runtime.history.ActivityAborted`; an interrupt by the
        engine names nobody), the work items it withdraws, the incidents that ended with
        them."""
        check_instance_id(instance_id, "cancel_activity")
        check_id(
            activity_instance_id, "activity_instance_id", "activity instance id", "cancel_activity"
        )
        check_acting_user(user, "cancel_activity")

        def body() -> None:
            inst = self.store.instance(instance_id)
            ai = inst.activities.get(activity_instance_id)
            if ai is None:
                done, _ = self._retired(inst, activity_instance_id)
                subject = (
                    f"activity instance {done.id!r} ({done.activity_id!r}) of instance {inst.id!r}"
                )
                raise IllegalStateError(subject, done.state.value, "cancel")
            if ai.mi_parent is None:
                subject = f"activity instance {ai.id!r} ({ai.act.id!r}) of instance {inst.id!r}"
            else:  # named by the id the host gave, and the activity it cancels with it
                ai = ai.mi_parent
                subject = (
                    f"activity instance {activity_instance_id!r} (of multi-instance {ai.id!r} "
                    f"({ai.act.id!r})) of instance {inst.id!r}"
                )
            if ai.state.is_closed:
                raise IllegalStateError(subject, ai.state.value, "cancel")
            if inst.state is not ProcessState.RUNNING:
                raise IllegalStateError(
                    subject, f"in an instance that is {inst.state.value}", "cancel"
                )
            nav = self._nav()
            nav.touch(inst)
            since = {inst.id: len(inst.changes)}
            nav.cancel_activity(ai)
            name_user([inst], since, _CANCELLING, user)
            # the synchronous subflows it closed: their closing too (the instance's own
            # completion, when no branch is left, is the engine's, as it always is)
            closed = [i for i in nav.step.instances.values() if i is not inst]
            name_user(closed, {}, _CANCELLING_SUBFLOW, user)
            self._commit(nav)

        self._command(body)

    def add_mi_instance(
        self,
        activity_instance_id: str,
        data: Mapping[str, Any] | None = None,
        *,
        user: str | None = None,
    ) -> str | None:
        """Add one instance to a running multi-instance activity (WCP15/WCP36: instances
        not known until run time). ``activity_instance_id`` names the activity (its container
        or any of its instances); ``data`` is written into the process instance's data first,
        which every instance shares: it is not the new instance's own (a field it names changes
        for all of them, and each of their work items shows its last value). To give each
        instance its own item, keep the items in a list field and name a loop counter
        (``multi_instance(..., counter="i")``): each instance reads the counter as its own index
        (docs/semantics.md, "Loop counters"), so its item is ``items[i]``, and an add passes the
        list with the new item appended (``{"items": [*items, new]}``), which is the new
        instance's, as it takes the next index. A parallel activity starts the new instance at
        once and its id is returned; a sequential one runs it after the others (None). A
        Complex flow condition sees the new count in ``instances``. An activity that is not a
        running multi-instance activity is an :class:`~wfengine.errors.IllegalStateError`, and
        so is one whose flow condition (Complex, or One) already held and let the flow go on
        (WCP36: once its partial join fired it takes no new instances), and one whose
        instances would pass ``RuntimeLimits.max_mi_instances``. ``user``: who
        asked (None: the host), named on its ``activity.mi_added`` event when that event's
        payload carries a user (:mod:`wfengine.runtime.acted_by`)."""
        check_mapping(data, "data", "add_mi_instance")
        check_acting_user(user, "add_mi_instance")
        if not isinstance(activity_instance_id, str):  # (the id names its instance)
            raise NotFoundError("activity instance", activity_instance_id)
        check_id(
            activity_instance_id, "activity_instance_id", "activity instance id", "add_mi_instance"
        )
        instance_id = activity_instance_id.rsplit(":", 1)[0]
        values = dict(data or {})
        if values:
            check_storable(values, f"instance {instance_id!r}")

        def body() -> str | None:
            try:
                inst = self.store.instance(instance_id)
            except NotFoundError:
                raise NotFoundError("activity instance", activity_instance_id) from None
            ai = inst.activities.get(activity_instance_id)
            if ai is None:
                done, multi = self._retired(inst, activity_instance_id)
                subject = f"activity instance {done.id!r} ({done.activity_id!r})"
                why = done.state.value if multi else "not multi-instance"
                raise IllegalStateError(subject, why, "add an instance to")
            container = ai.mi_parent or ai
            subject = f"activity instance {container.id!r} ({container.act.id!r})"
            if container.mi is None:
                why = _no_instances(inst, container)
                raise IllegalStateError(subject, why, "add an instance to")
            if container.state.is_closed:
                raise IllegalStateError(subject, container.state.value, "add an instance to")
            if container.mi.routed:  # WCP36: its partial join fired; no more instances
                raise IllegalStateError(subject, _completing(container.act), "add an instance to")
            if inst.state is not ProcessState.RUNNING:
                raise IllegalStateError(
                    subject, f"in an instance that is {inst.state.value}", "add an instance to"
                )
            most = self.limits.max_mi_instances
            if container.mi.total + 1 > most:  # (the count is held to it: added ones too)
                # more: started by an engine with a higher limit (a host's), kept here
                than = "as many as" if container.mi.total == most else "more than"
                why = (
                    f"at its {container.mi.total} instances, {than} "
                    f"RuntimeLimits.max_mi_instances ({most}) allows"
                )
                raise IllegalStateError(subject, why, "add an instance to")
            checked = inst.compiled.checked(values, subject) if values else values
            nav = self._nav()
            nav.touch(inst)
            inst.data.update(owned_values(checked))
            since = {inst.id: len(inst.changes)}
            added = nav.add_mi_child(container, tuple(sorted(checked)))
            name_user([inst], since, (EventKind.MI_ADDED.value,), user)
            self._commit(nav)
            return added

        return self._command(body)

    def _retired(self, inst: ProcessInstance, activity_instance_id: str) -> ClosedActivity:
        """An activity instance ``inst`` no longer holds: closed (its history has it, and
        whether it was multi-instance), else :class:`NotFoundError`. Why not its activity:
        the history names only the Id, which activity sets may repeat (TIBCO files do), one
        holder multi-instance and another not; then the history itself says (an instance
        of one names its container, a container is named by its instances)."""
        history = self.store.activity_history(inst.id)
        for done in history:
            if done.id == activity_instance_id:
                acts = holders(inst.compiled, done.activity_id)
                assert acts, f"{done.id!r}: no activity {done.activity_id!r}"
                multi = {act.loop is not None and act.loop.multi for act in acts}
                if len(multi) == 1:
                    return done, multi.pop()
                named = done.mi_parent_id is not None
                return done, named or any(h.mi_parent_id == done.id for h in history)
        raise NotFoundError("activity instance", activity_instance_id, f"in instance {inst.id!r}")


def _refuse_respelt_signal(name: str, reads: DeploymentReads) -> None:
    """Refuse signal ``name``, which reached no one, when no version takes it as spelt but
    one takes its composed or decomposed spelling (:func:`respelt`): a
    :class:`~wfengine.errors.NotFoundError` saying what to write. Why: it was lost (0), as
    if nobody waited, while the instances waiting for it, spelt as they spell it, went on
    waiting."""
    spelt = respelt(name, lambda other: signal_taken(reads, other))
    if spelt is not None and not signal_taken(reads, name):
        where = f"{spelt}; it reached no one; nothing was changed"
        raise NotFoundError("catch or start event for signal", name, where)


def _no_instances(inst: ProcessInstance, ai: ActivityInstance) -> str:
    """Why activity instance ``ai`` of ``inst``, holding no instances, takes none: it is not
    multi-instance, or its instances have not begun (its count failed: an incident holds it).
    Why not "not multi-instance" for all: that sent the operator to the definition."""
    loop = ai.act.loop
    if loop is None or not loop.multi:
        return "not multi-instance"
    held = inst.incidents.get(ai.incident) if ai.incident is not None else None
    if held is None:
        return f"multi-instance, but its instances have not begun yet ({ai.state.value})"
    if held.operation == "run":  # (its Start assignments and deadlines are done by then)
        return (
            f"held by its open incident {held.id!r}: its instance count could not be had, so "
            "it has no instances yet; set the data the count reads (set_data) and retry that "
            "incident, then add"
        )
    return (
        f"held by its open incident {held.id!r} (operation {held.operation!r}) before its "
        "instances began; resolve that incident first"
    )


def _completing(act: CActivity) -> str:
    """Why a multi-instance activity whose flow condition held takes no more instances."""
    loop = act.loop
    assert loop is not None
    held = (
        f"its completion condition {loop.flow_condition.text!r}"
        if loop.flow_condition is not None
        else f"its MI_FlowCondition {loop.flow.value!r}"
    )
    return (
        f"completing: {held} held and the flow went on (its instances still open run to "
        "their end; it takes no new ones)"
    )


__all__ = ["ActivityCommands"]
