"""Subflow activities: starting the called process and taking its result back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeGuard

from wfengine.applications.coercion import CoercionError, coerce
from wfengine.applications.redaction import REDACTED, plain
from wfengine.definition.checks.context import is_plain_name
from wfengine.definition.checks.instance_data_field import TEXT_KINDS
from wfengine.definition.model import BasicTypeKind, FormalParameter, ParameterMode
from wfengine.errors import DeployError, IllegalStateError, WorkflowError
from wfengine.runtime.history import (
    EventKind,
    InstanceCreated,
    InstanceDataAssigned,
    SubflowStarted,
    change,
)
from wfengine.runtime.instance import (
    ActivityInstance,
    ProcessInstance,
)
from wfengine.runtime.navigation.base import (
    NavigatorBase,
    _Failure,
)
from wfengine.runtime.states import ProcessState

if TYPE_CHECKING:
    from wfengine.runtime.compiled import CompiledProcess, CSubflow
    from wfengine.runtime.evaluation import CompiledExpression


#: what an operator can do about a finished subflow's result the caller could not take: the
#: child is closed and its result is not kept on the activity, so a retry cannot write it
#: again; said in the incident, as a retry that silently has people do the work again surprised
_ANSWERS = (
    " (retrying starts the subflow again, a new instance whose work is done again; "
    "skip_incident with the values writes them instead and goes on)"
)

#: the error a synchronous subflow's calling activity throws when the called instance ended
#: otherwise than completed (terminated or aborted by an operator)
_ENDED_CODE = "SubflowFailed"


class Subflows(NavigatorBase):
    """Subflow activities."""

    def _start_subflow(self, ai: ActivityInstance) -> None:
        sub = ai.act.subflow
        assert sub is not None
        inst = ai.scope.instance
        where = ai.place()
        try:
            deployed = self.ctx.latest(sub.process_id)
        except DeployError as exc:
            # its latest stored version no longer compiles: that fails this subflow (an
            # incident to resolve once it is deployed again), not the caller's command
            self._incident(
                inst,
                ai,
                ai.act.id,
                "run",
                f"{where}: subflow process {sub.process_id!r} cannot be started: {exc}",
            )
            return
        refusal = self.ctx.refusal(sub.process_id)
        if deployed is None or refusal is not None:
            # a refused latest deploy does not start the older stored version in its place,
            # as a start by process id does not (Engine.deployed)
            why = f" ({refusal})" if refusal is not None else ""
            what = "is not deployed" if deployed is None else "was refused at its last deploy"
            self._incident(
                inst,
                ai,
                ai.act.id,
                "run",
                f"{where}: subflow process {sub.process_id!r} {what}{why}",
            )
            return
        if deployed.valid_from is not None or deployed.valid_to is not None:
            try:  # the newest version valid now, as a start by process id takes
                deployed = self.ctx.startable(sub.process_id)
            except IllegalStateError as exc:
                why = f"subflow process {sub.process_id!r} cannot start now: it is {exc.current}"
                self._incident(inst, ai, ai.act.id, "run", f"{where}: {why}")
                return
            except DeployError as exc:  # (an older valid version no longer compiles)
                why = f"subflow process {sub.process_id!r} cannot be started: {exc}"
                self._incident(inst, ai, ai.act.id, "run", f"{where}: {why}")
                return
        level = _level(inst, sub.synchronous)
        deepest = self.ctx.limits.max_subflow_depth
        if level > deepest:
            why = (
                "subflows are not allowed (RuntimeLimits.max_subflow_depth is 0)"
                if deepest == 0
                else f"a synchronous subflow {level} levels deep is more than "
                f"RuntimeLimits.max_subflow_depth ({deepest}) allows: a recursion that "
                "does not end?"
            )
            self._incident(inst, ai, ai.act.id, "run", f"{where}: {why}")
            return
        misfit = _id_misfit(inst, sub.instance_field)
        if misfit is not None:  # (deploy refuses that now: a version stored earlier)
            self._incident(
                inst,
                ai,
                ai.act.id,
                "run",
                f"{where}: the subflow keeps the called instance's id in "
                f"{sub.instance_field!r} (InstanceDataField), which is {misfit} and cannot "
                "hold it (an id is a text); nothing was started (validation: "
                "instance-data-field)",
            )
            return
        start_at = None
        if sub.start_activity_id is not None:  # XPDL 2.x StartActivityId: start there
            start_at = deployed.compiled.graph.by_id.get(sub.start_activity_id)
            if start_at is None:
                self._incident(
                    inst,
                    ai,
                    ai.act.id,
                    "run",
                    f"{where}: process {sub.process_id!r} has no activity "
                    f"{sub.start_activity_id!r} at its top level to start at",
                )
                return
        formals = deployed.compiled.formal_parameters
        bound = bindings(sub, formals, deployed.version)
        if isinstance(bound, str):
            self._incident(inst, ai, ai.act.id, "run", f"{where}: {bound}")
            return
        if sub.synchronous:  # (an asynchronous one gives nothing back)
            unfit = _unfit_receiver(inst, ai, bound, deployed.version)
            if unfit is not None:
                why = f"{where}: {unfit}; nothing was started"
                self._incident(inst, ai, ai.act.id, "run", why)
                return
        values: dict[str, Any] = {}
        try:
            for fp, n in bound:
                actual = sub.actuals[n]
                if fp.mode in (ParameterMode.IN, ParameterMode.INOUT) and actual is not None:
                    values[fp.id] = self._evaluate(ai, actual)
        except _Failure as exc:
            self._incident(inst, ai, ai.act.id, "run", exc.message)
            return
        hidden = inst.sensitive_fields
        secret = _secret_formals(bound, sub.actuals, hidden) if hidden else hidden
        unfit = _unfit_value(sub, bound, values, deployed.compiled, deployed.version, secret)
        if unfit is not None:
            self._incident(inst, ai, ai.act.id, "run", f"{where}: {unfit}")
            return
        try:
            child = self.new_instance(
                deployed.compiled,
                deployed.version,
                values,
                parent=(inst.id, ai.id),
                parent_waits=sub.synchronous,
                sensitive=secret,
            )
        except WorkflowError as exc:
            self._incident(inst, ai, ai.act.id, "run", f"{where}: {exc}")
            return
        # an asynchronous child is the top of its own stack (its caller waits for nothing):
        # it still names its caller (parent_instance), for the status and the trail
        child.depth = level if sub.synchronous else 0
        _name_parent(child, inst, ai)
        ai.child_instance = child.id
        inst.changes.append(change(self.now, SubflowStarted(child.id), ai.id, ai.act.id))
        if sub.instance_field is not None:  # InstanceDataField: the caller keeps the id
            self._write_back(inst, ai, {sub.instance_field: child.id}, frozenset())
        self.start_instance(child, start_at)
        if not sub.synchronous:
            self._body_done(ai)

    def _subflow_closed(self, child: ProcessInstance) -> None:
        assert child.parent_instance is not None and child.parent_activity_instance is not None
        parent = self.instance(child.parent_instance)
        ai = parent.activities.get(child.parent_activity_instance)
        if ai is None or ai.state.is_closed or parent.state.is_closed:
            return
        self.touch(parent)
        if parent.state is ProcessState.SUSPENDED:
            return  # picked up by resume()
        self.subflow_result(parent, ai, child)

    def subflow_result(
        self, parent: ProcessInstance, ai: ActivityInstance, child: ProcessInstance
    ) -> None:
        """Carry on with subflow activity ``ai`` of ``parent`` now that its synchronous
        subflow ``child`` closed. While ``ai`` stays open (an incident, a loop's next run)
        it names no subflow: what looks for the subflow it waits for (suspension, resume,
        cancellation) finds none. Once it closed it names the one it ran, as its snapshot,
        the status and the exports show it (they showed None once it closed)."""
        self._subflow_result(parent, ai, child)
        if ai.state.is_closed and ai.child_instance is None:
            ai.child_instance = child.id

    def _subflow_result(
        self, parent: ProcessInstance, ai: ActivityInstance, child: ProcessInstance
    ) -> None:
        ai.child_instance = None
        if child.state is not ProcessState.COMPLETED:
            # an operator terminated or aborted it (its caller's closing throws nothing): an
            # error the caller may catch, by a code the message names so it can be caught
            why = (
                f"{ai.place()}: subflow instance {child.id!r} of process {child.process_id!r} "
                f"ended {child.state.value}: error {_ENDED_CODE!r}"
            )
            self._fail(ai, "run", _Failure(why, _ENDED_CODE))
            return
        sub = ai.act.subflow
        assert sub is not None
        # each OUT value is checked by the type of the caller's field it is written to (the
        # child checked it by its own formal's): a value that field cannot take is an
        # incident and nothing is written, as for an application's answer or a script
        kinds = parent.compiled.field_kinds
        results: dict[str, Any] = {}
        hidden_from: set[str] = set()  # fields given a value the called process holds secret
        # bound as the call was (by the formals' names when DataMappings named them), and
        # taken back where the caller expects a value (see _given_back)
        bound = bindings(sub, child.compiled.formal_parameters, child.version, started=True)
        if isinstance(bound, str):
            unfit: str | None = bound
        else:
            bound = _given_back(sub, bound)
            unfit = _unfit_receiver(parent, ai, bound, child.version)
        # (unfit: a call started before the caller's actuals were checked)
        if isinstance(bound, str) or unfit is not None:
            why = f"{ai.place()}: {unfit}; nothing was written{_ANSWERS}"
            self._incident(parent, ai, ai.act.id, "run", why)
            return
        for fp, n in bound:
            if fp.mode in (ParameterMode.OUT, ParameterMode.INOUT):
                text = _receiver(parent, ai, n)
                assert text is not None  # (_unfit_receiver said so)
                value = child.data.get(fp.id)
                found = kinds.get(text)
                if found is not None and value is not None:
                    try:
                        value = coerce(value, *found)
                    except CoercionError as exc:
                        hidden = text in parent.sensitive_fields or fp.id in child.sensitive_fields
                        self._incident(
                            parent,
                            ai,
                            ai.act.id,
                            "run",
                            f"{ai.place()}: subflow instance {child.id!r} of process "
                            f"{child.process_id!r} returned {fp.mode.value} parameter "
                            f"{fp.id!r} for data field {text!r}, which does not take it: "
                            f"{exc.hidden if hidden else exc}; nothing was written{_ANSWERS}",
                        )
                        return
                results[text] = value
                if fp.id in child.sensitive_fields:
                    hidden_from.add(text)
        if results:
            self._write_back(parent, ai, results, frozenset(hidden_from))
        self._body_done(ai)

    def _write_back(
        self,
        inst: ProcessInstance,
        ai: ActivityInstance,
        values: dict[str, Any],
        hidden: frozenset[str],
    ) -> None:
        """Write what subflow activity ``ai`` gives its caller ``inst`` (the called
        instance's id, the values it returned) and audit it, as the host's and an operator's
        writes are (``instance.data``, old and new values), on the activity: the caller's
        trail says where its data came from. ``hidden``: fields shown as ``***`` besides the
        caller's sensitive ones (a value the called process holds secret)."""
        secret = inst.sensitive_fields | hidden
        shown = {
            k: (REDACTED, REDACTED) if k in secret else (plain(inst.data.get(k)), plain(v))
            for k, v in sorted(values.items())
        }
        inst.data.update(values)
        assigned = InstanceDataAssigned(tuple(sorted(values)), shown)
        inst.changes.append(change(self.now, assigned, ai.id, ai.act.id))


def _level(inst: ProcessInstance, synchronous: bool) -> int:
    """How many levels deep the subflow ``inst`` starts is, as
    ``RuntimeLimits.max_subflow_depth`` counts them: one below ``inst`` for a synchronous
    call (its caller waits, so a recursion that does not end nests for ever), 1 for an
    asynchronous one, whose caller waits for nothing and may close at once. Why: an
    asynchronous child counted its callers' levels too, so a process that starts its
    successor asynchronously and completes (a case a day) stopped at generation 65 with
    an incident no retry could clear, though nothing was nested. 1, not 0: a limit of 0
    still forbids every subflow. What bounds an endless asynchronous chain is what bounds
    any run: ``max_new_instances`` and ``max_steps`` per command, and people's work."""
    return inst.depth + 1 if synchronous else 1


def _receiver(inst: ProcessInstance, ai: ActivityInstance, n: int) -> str | None:
    """The variable of caller ``inst`` that subflow activity ``ai``'s actual parameter ``n``
    names, to receive an OUT or INOUT value: a data field (the package's, the process's or
    the activity's), a formal parameter or the loop counter field, by its Id or by a Name
    that stands for it (the name the compiled actual reads). None when the actual is an
    expression or a name the caller does not declare.

    Why: validation checks this only for a called process of the same package; the value
    of a process in another package was written to a "field" named by the text, ``out + 1``
    included, and a Name alias wrote a field of that name beside the one it names."""
    sub = ai.act.subflow
    assert sub is not None
    text = sub.actual_texts[n]
    actual = sub.actuals[n]
    if not is_plain_name(text) or actual is None:
        return None
    declared = {name for name, _ in inst.compiled.data_fields}
    declared.update(fp.id for fp in inst.compiled.formal_parameters)
    model = ai.act.model
    declared.update(df.id for df in model.data_fields)
    if model.loop is not None and model.loop.counter_field is not None:
        declared.add(model.loop.counter_field)
    if text in declared:
        return text
    if len(actual.names) == 1:  # a Name standing for a field keyed by another Id
        (read,) = actual.names
        if read in declared:
            return read
    return None


def _unfit_receiver(
    inst: ProcessInstance, ai: ActivityInstance, bound: Bound, version: int
) -> str | None:
    """Why subflow activity ``ai`` of ``inst`` cannot take back what the called process's
    ``version`` returns (``bound``: its formals and the actual each binds to): the first OUT
    or INOUT formal whose actual names no variable of the caller, or names a read-only one
    (None: each names a variable that may be written).

    Why the read-only check here: deploy refuses an OUT actual into a ReadOnly field only for
    the called process it sees then; a newer version of it that makes the formal OUT or INOUT
    overwrote the caller's constant with no word."""
    sub = ai.act.subflow
    assert sub is not None
    for fp, n in bound:
        if fp.mode is ParameterMode.IN:
            continue
        text = sub.actual_texts[n]
        field = _receiver(inst, ai, n)
        if field is None:
            code = "undefined-data-field" if is_plain_name(text) else "parameter-mode"
            return (
                f"the subflow passes {text!r} for the {fp.mode.value} parameter {fp.id!r} of "
                f"process {sub.process_id!r}; it must be the name of a data field or formal "
                f"parameter of process {inst.process_id!r} to receive the result (validation: "
                f"{code})"
            )
        if field in inst.compiled.read_only:
            return (
                f"the subflow passes {text!r} for the {fp.mode.value} parameter {fp.id!r} of "
                f"process {sub.process_id!r} version {version}, but data field {field!r} is "
                f"declared ReadOnly in process {inst.process_id!r} (a constant, its initial "
                f"value), which the result may not overwrite: deploy {sub.process_id!r} "
                f"with {fp.id!r} IN and retry, or skip the incident; a version of "
                f"{inst.process_id!r} passing another field mends later instances (validation: "
                "read-only-assigned)"
            )
    return None


def _unfit_value(
    sub: CSubflow,
    bound: Bound,
    values: Mapping[str, Any],
    called: CompiledProcess,
    version: int,
    secret: frozenset[str],
) -> str | None:
    """Why a value call ``sub`` passes (``values``, by formal) does not fit the declared type
    of the formal of the called process's ``version`` it goes to, naming that formal and the
    caller's actual (None: each fits); ``secret``: formals given a caller's secret, whose
    value is not shown. Why here, before the instance is made (which checks the same again):
    its refusal named a "data field" of the child, as for a starter's data, and not which
    actual of the caller gave the value, as the result's refusal does."""
    kinds = called.field_kinds
    for fp, n in bound:
        value = values.get(fp.id)
        found = kinds.get(fp.id)
        if found is None or value is None:
            continue
        try:
            coerce(value, *found)
        except CoercionError as exc:
            hidden = fp.id in secret or fp.id in called.sensitive_fields
            return (
                f"the subflow passes {sub.actual_texts[n]!r} for the {fp.mode.value} parameter "
                f"{fp.id!r} of process {sub.process_id!r} version {version}, which does not "
                f"take its value: {exc.hidden if hidden else exc}; mend what it reads "
                "(set_data) and retry; nothing was started"
            )
    return None


def _name_parent(child: ProcessInstance, inst: ProcessInstance, ai: ActivityInstance) -> None:
    """Name the caller (``inst``, its activity ``ai``) in ``child``'s ``instance.created``
    event, which :meth:`new_instance` made first: the WfMC audit data's parent instance, so
    the child's own trail leads to its caller."""
    at, kind, _, _, detail = child.changes[0]
    assert kind == EventKind.INSTANCE_CREATED
    created = replace(
        InstanceCreated.of(detail), parent_instance_id=inst.id, parent_activity_instance_id=ai.id
    )
    child.changes[0] = change(at, created)


def _id_misfit(inst: ProcessInstance, field: str | None) -> str | None:
    """What the caller's InstanceDataField ``field`` is, when its type cannot hold an
    instance id (a text); None when it can, or when its values are not checked: the rule of
    :mod:`wfengine.definition.checks.instance_data_field`, by the types the engine checks
    the field's values by."""
    found = inst.compiled.field_kinds.get(field) if field is not None else None
    if found is None:
        return None
    kind, listed = found
    if listed:
        return "a list"
    if isinstance(kind, frozenset):
        return "an enumeration"
    if isinstance(kind, BasicTypeKind) and kind not in TEXT_KINDS:
        return kind.value
    return None


def _secret_formals(
    bound: Bound, actuals: Sequence[CompiledExpression | None], sensitive: frozenset[str]
) -> frozenset[str]:
    """The called process's IN and INOUT formal parameters whose actual expression reads one of
    the caller's ``sensitive`` fields (``card``, ``card[:4]``): the value they take is as
    secret in the called instance as in the caller, whatever the called process marks."""
    return frozenset(
        fp.id
        for fp, n in bound
        if fp.mode in (ParameterMode.IN, ParameterMode.INOUT)
        and (actual := actuals[n]) is not None
        and not sensitive.isdisjoint(actual.names)
    )


#: the called process's formal parameters, each with the index of the actual it binds to
Bound = list[tuple[FormalParameter, int]]


def bindings(
    sub: CSubflow, formals: Sequence[FormalParameter], version: int, *, started: bool = False
) -> Bound | str:
    """Which actual of call ``sub`` each of ``formals`` (those of the called process's
    ``version``, the one that starts) binds to, or why the call cannot bind them.

    By position, unless DataMappings named the formals (:attr:`CSubflow.formals`): then by
    name. Why: the caller starts the called process's newest version, which may order its
    formals otherwise, or rename one, than the version the caller was deployed with; by
    position each value went to whichever formal now stood there, with no error. A name the
    started version has no formal of, a formal of it the call does not map, a count of
    formals the positional actuals do not fit, or a formal whose Mode changed from the one
    the call was compiled against (by name or by position), cannot be bound: an incident
    names them and the version (a changed type is checked as the value is passed).
    ``started``: the child runs already (its result is taken back): a changed Mode is then
    refused only where the caller expects a value the started version does not give (a
    formal the call was compiled with as OUT or INOUT that it declares IN; see
    :func:`_refused_mode`). Why: a child an engine before these checks started is in the
    middle of its people's work, and refusing its result lost that work (a retry starts a
    new child, which the changed Mode then refuses at once)."""
    what = f"process {sub.process_id!r} version {version}"
    done = "" if started else "; nothing was started"
    if not sub.formals:
        return _by_position(sub, formals, what, done, started)
    by_name = {fp.id: fp for fp in formals}
    has = ", ".join(repr(fp.id) for fp in formals) or "none"
    for name, mode in zip(sub.formals, sub.modes, strict=True):
        fp = by_name.get(name)
        if fp is None:
            return (
                f"the subflow maps formal parameter {name!r} (DataMappings), which {what} "
                f"does not have (its formal parameters: {has}){done}"
            )
        if _refused_mode(mode, fp, started):
            return (
                f"the subflow maps formal parameter {name!r} as {mode.value}, as the caller "
                f"was deployed with it; {what} declares it {fp.mode.value}{done}"
            )
    unmapped = [fp.id for fp in formals if fp.id not in sub.formals]
    if unmapped:
        return (
            f"{what} has formal parameter {unmapped[0]!r}, which the subflow does not map "
            f"(DataMappings: {', '.join(map(repr, sub.formals))}){done}"
        )
    return [(fp, sub.formals.index(fp.id)) for fp in formals]


def _by_position(
    sub: CSubflow, formals: Sequence[FormalParameter], what: str, done: str, started: bool
) -> Bound | str:
    """:func:`bindings` of a positional call: actual ``n`` to formal ``n`` of the started
    version (``what``), or why not (``done`` ends it). The Modes the call was compiled with
    (:attr:`CSubflow.modes`; empty when not known: a process of another package, a count
    that did not fit the actuals then) are held to as a call by name holds them: an IN
    made OUT wrote the null result over the caller's field, with no word."""
    if len(formals) != len(sub.actuals):
        given = len(sub.actuals)
        has = f"{len(formals)} formal parameter{'' if len(formals) == 1 else 's'}"
        return f"{what} has {has}, the subflow gives {given}{done}"
    if len(sub.modes) == len(formals):
        for n, (fp, mode) in enumerate(zip(formals, sub.modes, strict=True)):
            if _refused_mode(mode, fp, started):
                return (
                    f"the subflow passes {sub.actual_texts[n]!r} (actual parameter {n + 1}) "
                    f"to formal parameter {fp.id!r} as {mode.value}, as the caller was "
                    f"deployed with it; {what} declares it {fp.mode.value}{done}"
                )
    return [(fp, n) for n, fp in enumerate(formals)]


def _refused_mode(
    compiled: ParameterMode | None, fp: FormalParameter, started: bool
) -> TypeGuard[ParameterMode]:
    """Whether formal ``fp`` of the version that starts (``started``: started already)
    cannot be bound by a call compiled with it as ``compiled`` (None: not known, held to
    nothing). Before the start any change is refused; once started, only a value the caller
    expects and the child does not give (see :func:`bindings`)."""
    if compiled is None or fp.mode is compiled:
        return False
    return not started or (compiled is not ParameterMode.IN and fp.mode is ParameterMode.IN)


def _given_back(sub: CSubflow, bound: Bound) -> Bound:
    """The formals of ``bound`` whose values the finished child gives its caller: those it
    declares OUT or INOUT, but for one the call was compiled with as IN (started by an engine
    before the Modes were held to): the caller expects nothing there, and its actual may be
    no field at all (``amount + 1``), or a field the child's value must not overwrite."""
    fits = len(sub.modes) == len(sub.actuals)
    return [
        (fp, n)
        for fp, n in bound
        if fp.mode is not ParameterMode.IN and not (fits and sub.modes[n] is ParameterMode.IN)
    ]
