"""The operator's commands on incidents: retry, skip (with outputs, or a way on), abort.

An incident is work the engine could not do by itself (an application that failed, a
condition that could not be evaluated, a label where a condition belongs, a job that failed).
Each answer is one command: retrying redoes exactly the failed operation; skipping finishes
the activity as if its work had returned given outputs, or, for a failed decision, follows
the transitions the operator chose (:meth:`IncidentCommands.decision` lists them); aborting
gives up on the instance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from wfengine.applications.coercion import coerce
from wfengine.applications.redaction import audit_values
from wfengine.applications.specs import ParamSpec
from wfengine.definition.reading import ReadKind
from wfengine.errors import (
    IllegalStateError,
    ParameterMappingError,
)
from wfengine.runtime.acted_by import by_user, name_user
from wfengine.runtime.compiler import KIND_SCRIPT, KIND_TASK, SPLIT_FIRST, CTransition
from wfengine.runtime.engine_base import EngineBase
from wfengine.runtime.history import EventKind, IncidentAborted, IncidentSkipped, change
from wfengine.runtime.host_arguments import check_acting_user, check_mapping
from wfengine.runtime.id_arguments import check_id
from wfengine.runtime.instance import ActivityInstance, Incident, ProcessInstance
from wfengine.runtime.navigation import Navigator
from wfengine.runtime.outbox import Resolution, incident_entry
from wfengine.runtime.snapshots import (
    DecisionSnapshot,
    IncidentSnapshot,
    WayOn,
    incident_snapshot,
)
from wfengine.runtime.states import ProcessState, check_process
from wfengine.runtime.values import check_storable, owned_values
from wfengine.runtime.work_rules import OFFER

_T = TypeVar("_T")

#: the operations a skip cannot stand in for that evaluate the instance's data (a loop or
#: Complex join condition, Start assignments, a timer's duration): fixing the data and
#: retrying is the answer (:func:`fix_the_data`)
_FROM_DATA = frozenset({"loop", "join", "assign", "arm"})


def fix_the_data(instance_id: str) -> str:
    """What an operator does with an incident that evaluating ``instance_id``'s data opened
    and a skip cannot answer: the ways to fix the data are named, the command line's too
    (an operator with only the CLI was told to fix the data with no command that does)."""
    return (
        "retry it after fixing the data (Engine.set_data; from the command line: "
        f"wfengine instance set {instance_id} NAME=VALUE...), or abort the instance"
    )


#: what marks a person's round of an activity instance in its trail (see
#: :func:`offer_opened_as_run`)
_ROUND = frozenset(
    {EventKind.WORK_ITEM_OFFERED, EventKind.WORK_ITEM_COMPLETED, EventKind.ACTIVITY_ITERATION}
)


class IncidentCommands(EngineBase):
    """Answers to incidents (:class:`~wfengine.runtime.engine.Engine` mixes this in)."""

    def retry_incident(
        self, incident_id: str, *, user: str | None = None
    ) -> list[IncidentSnapshot]:
        """Redo the operation that failed (after fixing its cause). ``user``: who asked
        (None: the host), named on its ``incident.retried`` event when that event's payload
        carries a user (see :mod:`wfengine.runtime.acted_by`).

        Returns the incidents this retry opened at once on the same activity: what it redid
        in its own command (a condition, a count, a performer; an application's call when
        this engine calls applications in the command) failed again. Empty when it went on,
        or when its work was queued for a worker: what a worker's run opens later is not
        this retry's (see :func:`opened_again`)."""
        check_id(incident_id, "incident_id", "incident id", "retry_incident")
        check_acting_user(user, "retry_incident")

        def body() -> list[IncidentSnapshot]:
            incident = self._incident(incident_id)
            inst = self.store.instance(incident.instance_id)
            subject = f"incident {incident_id!r} of instance {inst.id!r}"
            if incident.resolved:
                raise IllegalStateError(subject, "resolved", "retry")
            if incident.operation == "deadlock":
                raise IllegalStateError(subject, "a deadlock", "retry")
            if inst.state is not ProcessState.RUNNING:
                raise IllegalStateError(
                    subject, f"in an instance that is {inst.state.value}", "retry"
                )
            nav = self._nav()
            since = {inst.id: len(inst.changes)}
            before = set(inst.incidents)
            nav.retry(incident, offer=offer_opened_as_run(self, inst, incident))
            name_user([inst], since, (EventKind.INCIDENT_RETRIED.value,), user)
            self._commit(nav)
            return opened_again(nav, incident, before)

        return self._command(body)

    def skip_incident(
        self,
        incident_id: str,
        outputs: Mapping[str, Any] | None = None,
        *,
        take: Sequence[str] | None = None,
        user: str | None = None,
    ) -> None:
        """Finish the failed activity as if its work had returned ``outputs`` (data field ->
        value) and move on; a failed decision (a label where a condition belongs) is skipped
        by naming the transitions to ``take``. ``user``: who asked (None: the host), named on
        its ``incident.skipped`` event when that event's payload carries a user (see
        :mod:`wfengine.runtime.acted_by`). See :func:`skip_incident`."""
        skip_incident(self, incident_id, outputs, take, user=user)

    def abort_incident(self, incident_id: str, *, user: str | None = None) -> None:
        """Give up on the instance an incident stopped: it becomes ``closed.aborted``.

        The operator's third answer to an incident (beside retry and skip), so a script can
        act on incident ids alone; ``incident.aborted`` is audited before the instance closes.
        ``user``: who asked (None: the host), named as :meth:`abort` names it (on the
        ``instance.state`` events of the instance and of the subflows closed with it), and
        on ``incident.aborted`` when its payload carries a user.
        """
        check_id(incident_id, "incident_id", "incident id", "abort_incident")
        check_acting_user(user, "abort_incident")

        def body() -> None:
            incident = self._incident(incident_id)
            inst = self.store.instance(incident.instance_id)
            subject = f"incident {incident_id!r} of instance {inst.id!r}"
            if incident.resolved:
                raise IllegalStateError(subject, "resolved", "abort")
            check_process(subject, inst.state, ProcessState.ABORTED, "abort")
            nav = self._nav()
            nav.touch(inst)
            aborted = change(
                nav.now,
                IncidentAborted(incident.id),
                incident.activity_instance_id,
                incident.activity_id,
            )
            inst.changes.append(by_user(aborted, user))
            incident.resolved = True  # by this answer (closing resolves the others)
            nav.step.outbox.append(
                incident_entry(incident, nav.now, Resolution.ABORTED, stamp=inst.call_stamp())
            )
            nav.close_instance(inst, ProcessState.ABORTED, user)
            self._commit(nav)

        self._command(body)

    def decision(self, incident_id: str) -> DecisionSnapshot | None:
        """The choice an open incident of a failed decision offers; None for other incidents.

        A decision fails when none of its conditions can be evaluated: most often a label for
        people where a condition belongs (``DecisionSnapshot.labelled``). Answer it with
        ``skip_incident(incident_id, take=[transition id, ...])``.
        """
        check_id(incident_id, "incident_id", "incident id", "decision")
        incident = self._incident(incident_id)
        if incident.resolved or incident.operation != "leave":
            return None
        if incident.activity_instance_id is None:
            return None
        inst = self.store.instance(incident.instance_id)
        ai = inst.activities.get(incident.activity_instance_id)
        if ai is None or ai.mi is not None or ai.mi_parent is not None:
            return None
        ca = ai.act
        activities = ai.scope.graph.activities
        ways = [
            WayOn(
                ct.id,
                activities[ct.target].id,
                ct.condition.text if ct.condition is not None else None,
                ct.condition is not None and ct.condition.kind is ReadKind.LABEL,
                False,
            )
            for ct in ca.normal
        ]
        if ca.otherwise is not None:
            ways.append(
                WayOn(ca.otherwise.id, activities[ca.otherwise.target].id, None, False, True)
            )
        return DecisionSnapshot(incident.id, inst.id, ca.id, ca.split == SPLIT_FIRST, tuple(ways))


def skip_incident(
    engine: EngineBase,
    incident_id: str,
    outputs: Mapping[str, Any] | None,
    take: Sequence[str] | None = None,
    *,
    user: str | None = None,
) -> None:
    """The operator's "skip": finish a failed activity as if its work had returned ``outputs``.

    ``outputs`` maps data fields to values. For a Tool activity the keys must be the fields its
    OUT/INOUT parameters write, and values are checked by those parameters' types; for other
    activities (a subflow that could not start, an unsupported implementation) any declared
    data field of the process. The incident is resolved, ``incident.skipped`` is audited
    (sensitive values redacted) and the activity completes and moves on, as one command.

    A failed decision (operation ``leave``: no condition could be evaluated, such as a label
    for people where an expression belongs) is skipped by choosing the way on: ``take`` names
    the outgoing transitions to follow (exactly one for an Exclusive split); ``outputs`` may
    set any declared data field first. A failed join or loop condition cannot be skipped:
    retry it after fixing data, or abort. This is the body of ``Engine.skip_incident``; it uses
    the engine's command helpers. ``outputs`` that is not a mapping (a list of pairs) is a
    ``TypeError`` naming it, before anything is looked at. ``user``, who asked (None: the
    host), is named on the ``incident.skipped`` event (when its payload carries a user).
    """
    check_id(incident_id, "incident_id", "incident id", "skip_incident")
    check_mapping(outputs, "outputs", "skip_incident")
    check_acting_user(user, "skip_incident")

    def body() -> None:
        incident = engine._incident(incident_id)
        inst = engine.store.instance(incident.instance_id)
        subject = f"incident {incident_id!r} of instance {inst.id!r}"
        if incident.resolved:
            raise IllegalStateError(subject, "resolved", "skip")
        decision = incident.operation == "leave"
        if incident.operation == OFFER or offer_opened_as_run(engine, inst, incident):
            # its work was never offered to anyone: nobody did the person's part for the
            # skip to stand in for (four eyes would be bypassed, whatever the operator's
            # rights); the answer is a retry once someone may have it, or abort
            raise IllegalStateError(
                subject,
                "an offer of a person's work that reached no one (it cannot be done without "
                "them); retry it once someone may have the work, or abort the instance",
                "skip",
            )
        if incident.activity_instance_id is None or not (decision or incident.operation == "run"):
            from_data = incident.operation in _FROM_DATA
            raise IllegalStateError(
                subject,
                f"a failed {incident.operation!r} operation, not an activity's work or "
                "decision" + (f": {fix_the_data(inst.id)}" if from_data else ""),
                "skip",
            )
        if inst.state is not ProcessState.RUNNING:
            raise IllegalStateError(subject, f"in an instance that is {inst.state.value}", "skip")
        ai = inst.activities.get(incident.activity_instance_id)
        if ai is None or ai.state.is_closed:  # (left by an engine before: see Incidents.retry)
            raise IllegalStateError(
                subject,
                f"of activity instance {incident.activity_instance_id!r}, which closed: "
                "nothing is left to skip; retry it to clear it",
                "skip",
            )
        if decision:
            nav = engine._nav()
            chosen = _chosen_ways(nav, ai, take, subject)
            data, sensitive = _skip_data(
                engine, inst, ai, dict(outputs or {}), subject, any_field=True
            )
            taken = [ct.id for ct in chosen]
            _resolve_skip(nav, inst, ai, incident, data, sensitive, take=taken, user=user)
            nav.leave_along(ai, chosen)
            engine._commit(nav)
            return
        if take:
            raise IllegalStateError(
                subject, "a failed activity's work, not a decision", "skip with a way to take"
            )
        data, sensitive = _skip_data(engine, inst, ai, dict(outputs or {}), subject)
        nav = engine._nav()
        apply_skip(nav, inst, ai, incident, data, sensitive, user=user)
        engine._commit(nav)

    engine._command(body)


def opened_again(nav: Navigator, incident: Incident, before: set[str]) -> list[IncidentSnapshot]:
    """The open incidents of ``incident``'s activity that the retry's command (``nav``, just
    committed) opened: not among ``before``, its instance's incidents as the command began.
    Why from the command itself: the command line compared the instance's incidents before
    and after, outside the retry, and took a worker's failing run of the queued application
    call (or another instance of a multi-instance activity failing) in between for the
    retry failing again."""
    inst = nav.step.instances.get(incident.instance_id)
    if inst is None:
        return []
    return [
        incident_snapshot(i)
        for i in list(inst.incidents.values())
        if i.id not in before and not i.resolved and i.activity_id == incident.activity_id
    ]


def offer_opened_as_run(engine: EngineBase, inst: ProcessInstance, incident: Incident) -> bool:
    """Whether ``incident``, of operation ``run``, is an offer's: an engine before offers had
    an operation of their own (:data:`~wfengine.runtime.work_rules.OFFER`) opened them as
    ``run``, and the organisation changing still may. Only an activity a person starts is
    offered before its work runs; for a manual-start Tool or script task, whose applications
    or script run after the person, a failure that names no application is the offer's unless
    the person's completion is the latest of the activity instance's offers, completions and
    iterations in the trail (read only here, on this unusual path)."""
    aid = incident.activity_instance_id
    if incident.operation != "run" or aid is None or incident.application_id is not None:
        return False
    ai = inst.activities.get(aid)
    if ai is None or not ai.act.offer_first:
        return False
    loop = ai.act.loop
    if loop is not None and loop.multi and ai.mi is None and ai.mi_parent is None:
        return False  # a container whose count could not be had: counted again, not offered
    if ai.act.kind not in (KIND_TASK, KIND_SCRIPT):
        return True  # its work is the person's, and only the offer could fail
    last = None
    for event in engine.store.audit(inst.id):
        if event.activity_instance_id == aid and event.kind in _ROUND:
            last = event.kind
    return last != EventKind.WORK_ITEM_COMPLETED


def _chosen_ways(
    nav: Navigator, ai: ActivityInstance, take: Sequence[str] | None, subject: str
) -> list[CTransition]:
    """The transitions ``take`` names, checked against the activity's ways on."""
    ways = nav.ways_on(ai)
    listed = ", ".join(ways) or "none"
    if ai.mi is not None or ai.mi_parent is not None:
        raise IllegalStateError(
            subject,
            f"a multi-instance activity's routing or count: {fix_the_data(ai.scope.instance.id)}",
            "skip",
        )
    if not take:
        raise ParameterMappingError(
            f"{subject}: a failed decision is skipped by choosing the way on; name one or more "
            f"of activity {ai.act.id!r}'s transitions ({listed})"
        )
    unknown = [t for t in take if t not in ways]
    if unknown:
        raise ParameterMappingError(
            f"{subject}: {unknown!r} are not transitions leaving activity {ai.act.id!r} ({listed})"
        )
    if ai.act.split == SPLIT_FIRST and len(set(take)) != 1:
        raise ParameterMappingError(
            f"{subject}: activity {ai.act.id!r} is an exclusive choice: take exactly one of "
            f"{listed}"
        )
    return [ways[t] for t in dict.fromkeys(take)]


def _skip_data(
    engine: EngineBase,
    inst: ProcessInstance,
    ai: ActivityInstance,
    outputs: dict[str, Any],
    subject: str,
    *,
    any_field: bool = False,
) -> tuple[dict[str, Any], set[str]]:
    """``outputs`` checked and coerced for a skip, and the keys to redact (``any_field``: any
    declared field, for a decision, rather than the fields the activity's tools write)."""
    deployed = engine.deployed(inst.process_id, inst.version)
    package = deployed.package
    process = package.process(inst.process_id)
    fields = {f.id: f for f in (*package.data_fields, *process.data_fields)}
    sensitive = set(inst.sensitive_fields.intersection(outputs))
    if ai.act.tools and not any_field:
        allowed: dict[str, ParamSpec] = {}
        for spec in (tool.spec for tool in ai.act.tools):
            for p in spec.params:
                if p.target is not None:
                    allowed[p.target] = p
        unknown = sorted(k for k in outputs if k not in allowed)
        if unknown:
            raise ParameterMappingError(
                f"{subject}: cannot skip with {unknown!r}: activity {ai.act.id!r} writes only "
                f"{sorted(allowed)}"
            )
        data: dict[str, Any] = {}
        for k, v in outputs.items():
            p = allowed[k]
            try:
                data[k] = coerce(v, p.kind, p.is_array)
            except ValueError as exc:
                raise ParameterMappingError(
                    f"{subject}: output {k!r} (parameter {p.formal!r}) of activity "
                    f"{ai.act.id!r}: {exc}"
                ) from exc
            if p.sensitive:
                sensitive.add(k)
        # then by the fields they are written to, as the answer they stand for would be;
        # and storable, on every store, as the answer's are (the memory store kept a set)
        data = dict(inst.compiled.checked(data, subject))
        check_storable(data, subject)
        return data, sensitive
    known = set(fields) | {fp.id for fp in process.formal_parameters}
    unknown = sorted(k for k in outputs if k not in known)
    if unknown:
        raise ParameterMappingError(
            f"{subject}: cannot skip with {unknown!r}: not data fields of {inst.process_id!r}"
        )
    outputs = dict(inst.compiled.checked(outputs, subject))
    check_storable(outputs, subject)
    return outputs, sensitive


def apply_skip(
    nav: Navigator,
    inst: ProcessInstance,
    ai: ActivityInstance,
    incident: Incident,
    data: Mapping[str, Any],
    sensitive: set[str],
    *,
    user: str | None = None,
) -> None:
    """Resolve ``incident`` with checked ``data`` and let the activity finish (navigator part);
    ``user``: who asked, for its ``incident.skipped`` event.

    An activity with a Manual finish after an Automatic start (its applications or script
    run, then a person confirms) is offered to that person, as after work that succeeded: the
    skip stands in for the failed automatic part only (it finished the activity, so the
    confirmation, a four-eyes step, was bypassed)."""
    _resolve_skip(nav, inst, ai, incident, data, sensitive, user=user)
    if ai.act.offer_after:
        nav._offer(ai)
    else:
        nav._body_done(ai)


def _resolve_skip(
    nav: Navigator,
    inst: ProcessInstance,
    ai: ActivityInstance,
    incident: Incident,
    data: Mapping[str, Any],
    sensitive: set[str],
    *,
    take: list[str] | None = None,
    user: str | None = None,
) -> None:
    nav.touch(inst)
    incident.resolved = True
    nav.step.outbox.append(
        incident_entry(incident, nav.now, Resolution.SKIPPED, stamp=inst.call_stamp())
    )
    ai.incident = None
    skipped = IncidentSkipped(
        incident.id, audit_values(data, sensitive), None if take is None else tuple(take)
    )
    inst.changes.append(by_user(change(nav.now, skipped, ai.id, ai.act.id), user))
    # copies: the memory store keeps what it is given, and the operator's dict is theirs
    inst.data.update(owned_values(data))
