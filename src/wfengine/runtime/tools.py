"""Running an activity's applications inside the engine: inputs in, outputs to the data.

The navigator hands a Tool activity instance to :func:`run_tools`, which for each tool, in
order, finds its binding (:func:`wfengine.applications.find_binding`), evaluates the IN/INOUT
actual parameters and checks them by their formal parameters' types, calls it
(:func:`wfengine.applications.call_application`: idempotency key ``activity-instance/
iteration/tool``, timeout, retries, audit) and checks the answer, by the formal parameters'
types and by those of the fields it writes. Outputs of one tool are
visible to the next tool's inputs but reach the instance's data only when every tool of the
activity succeeded: a failure changes no data ("not half-navigated"), and the navigator turns
it into the activity's EXCEPTION transition or an incident. IN is copy-in: an application is
given copies of the lists and records among its inputs, and the instance keeps copies of its
answer, so neither what it does to its arguments (even in a call that then fails) nor what
its host later does to the object it returned changes the instance's data. A call that
raises ``SystemExit`` or ``KeyboardInterrupt`` fails too: see :mod:`.call_stops`.

Long or unreliable calls belong to **asynchronous** bindings (``register(...,
asynchronous=True)``, or ``wfengine:asynchronous`` ``true`` on a definition's Application):
:func:`run_tools` does not call them but returns an :class:`InvokeRequest`; the navigator
commits an ``invoke`` job and the activity waits (the job is held with its deadline timers,
so closing the activity deletes it). The job's payload holds the inputs **as of the moment
the call was reached** and the outputs of earlier tools. The job runs in
:mod:`wfengine.runtime.invoke_jobs` (re-exported here: :class:`InvokeJobHandler`), which
makes the call and commits its result; :func:`resume_tools` carries the activity on.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from wfengine.applications.binding_lookup import binding_lookup
from wfengine.applications.calling import (
    CallStopped,
    ToolFailure,
    call_noting,
    find_binding,
)
from wfengine.applications.coercion import Checked, CoercionError, coerce
from wfengine.applications.events import (
    ApplicationFailed,
    ApplicationInvoked,
    ApplicationReturned,
    Note,
)
from wfengine.applications.redaction import masked_text
from wfengine.applications.registry import ApplicationRegistry, Binding
from wfengine.applications.specs import ToolSpec
from wfengine.definition.model import BasicTypeKind
from wfengine.errors import DataNotStorableError
from wfengine.runtime import call_stops, call_watch, job_claims
from wfengine.runtime.evaluation import CompiledExpression
from wfengine.runtime.instance import ActivityInstance, ProcessInstance
from wfengine.runtime.invoke_jobs import InvokeJobHandler as InvokeJobHandler
from wfengine.runtime.invoke_jobs import InvokeOutcome as InvokeOutcome
from wfengine.runtime.invoke_jobs import JobRunner as JobRunner
from wfengine.runtime.values import MAX_INT_BITS, check_storable, owned_values, shares

#: evaluates an actual parameter's expression for an activity instance; the mapping holds
#: outputs of earlier tools (None: there are none)
Evaluate = Callable[[ActivityInstance, CompiledExpression, Mapping[str, Any] | None], Any]


@dataclass(frozen=True, slots=True)
class InvokeRequest:
    """A call of an asynchronous application that :func:`run_tools` reached: the navigator
    turns it into an ``invoke`` job (``payload`` and idempotency ``key``) and the activity
    waits for that job."""

    payload: dict[str, Any]
    key: str


@dataclass(slots=True)  # (not frozen: a frozen one's __init__ sets each field by a call)
class ToolCalls:
    """What the application calls of one command share, made at its first call
    (:func:`tool_calls`).

    Why once per command: the job context (a watcher of the calls, a job's earlier claims,
    the attempts of its lost runs) is set around the whole command, and the registry and the
    clock do not change within it: read per call, they were three context variable reads and
    a function made on every call. It holds nothing of the navigator (whose evaluation each
    call is given): a cycle through it kept a command's navigator, and all it touched, for
    the garbage collector to find. ``current`` is what ``note``
    records for the activity whose calls run now (:func:`run_tools` sets it): ``[its
    changes' append, activity instance id, activity id, the time last read, whether that
    time may date the next invoked record]``."""

    registry: ApplicationRegistry
    #: ``registry.get`` (:func:`~wfengine.applications.binding_lookup.binding_lookup`)
    bound: Callable[[str], Binding | None]
    note: Note
    current: list[Any]
    #: the job this thread runs was claimed before (``job_claims.pending()``): its calls
    #: count the earlier claims' attempts
    claimed: bool
    #: ``job_claims.unrecorded()``: attempts earlier runs made that the trail lacks
    lost: job_claims.Unrecorded | None


def tool_calls(registry: ApplicationRegistry, clock: Callable[[], datetime]) -> ToolCalls:
    """The :class:`ToolCalls` of the command running now. ``clock`` (the engine's
    ``clock.now``, or :func:`~wfengine.runtime.clock.call_dater`'s) dates the
    ``application.*`` records as they are made (see :func:`run_tools`)."""
    current: list[Any] = [None, "", "", None, True]

    # a change, as history.change makes, for the activity ``current`` names. What it reads
    # is bound as defaults: no closure cells (which every use of them paid for too)
    def note(
        kind: str,
        detail: dict[str, Any],
        _cur: list[Any] = current,
        _clock: Callable[[], datetime] = clock,
    ) -> None:
        if kind == _INVOKED and _cur[4]:
            at = _cur[3]
        else:  # an answer or a failure: the call took its time (a failure's wait follows)
            at = _cur[3] = _clock()
            _cur[4] = kind != _FAILED
        _cur[0]((at, kind, _cur[1], _cur[2], detail))

    watcher = call_watch.current()  # a job's runner may follow its calls (see call_watch)
    noting = note if watcher is None else _watched(note, watcher, current)
    claimed = job_claims.pending() is not None
    lost = job_claims.unrecorded()
    return ToolCalls(registry, binding_lookup(registry), noting, current, claimed, lost)


def run_tools(
    calls: ToolCalls,
    ai: ActivityInstance,
    evaluate: Evaluate,
    call_key: str,
    now: datetime,
    start: int = 0,
    staged: Mapping[str, Any] | None = None,
) -> InvokeRequest | None:
    """Run the tools of ``ai``'s activity from position ``start``; when all have answered,
    write their outputs (``staged``: those of earlier tools) to the instance's data.
    ``evaluate`` evaluates an actual parameter's expression (the navigator's); ``call_key``
    begins the calls' idempotency keys (``NavigatorBase.call_key``).
    The ``application.*`` records are dated as they are made: a call, its failures and its
    back-off waits take time inside the command, and the trail showed them all at the
    command's start (an ``invoke`` job's records are dated so). The clock is read once per
    answer or failure (a call that answers costs one read): an attempt's ``invoked`` record
    carries the time last read (``now``, the navigator's time, for the first), or a fresh
    one after a failure, whose back-off wait comes before it. The navigator moves its own
    time on to the last record's (``navigation/work.py``), so what the command does after
    the call is dated after it.

    A tool whose binding is asynchronous is not called: its request is returned (nothing
    written yet) and the activity waits for the ``invoke`` job; its result comes back through
    :func:`resume_tools`. Raises :class:`ToolFailure` (nothing written) when a tool is unbound,
    a parameter does not fit, or the call fails after its retries. Errors of the evaluation
    of an actual parameter's expression propagate unchanged.
    """
    inst = ai.scope.instance
    act = ai.act
    aid = ai.id
    where = ai.place  # what an error names (made only for one)
    registry = calls.registry
    # what calls.note records, for this activity (one store, not a function made per call)
    calls.current[:] = (inst.changes.append, aid, act.id, now, True)
    # (made when a tool gives outputs: most calls give none, and have no inputs either)
    outputs: dict[str, Any] | None = dict(staged) if staged else None
    for tool in act.tools[start:] if start else act.tools:
        spec = tool.spec
        # a binding registered in code wins (see ApplicationRegistry.resolve): looked up first
        binding = calls.bound(spec.application_id) or find_binding(
            registry, spec.application_id, spec.application, where
        )
        inputs: Mapping[str, Any]
        if spec.params:
            inputs = _inputs(spec, evaluate, ai, outputs or _NO_VALUES, where)
        else:
            inputs = _NO_VALUES
        # ``instance:call_key/iteration/position@nonce``. (The iteration as text when it is 0,
        # nearly always, and the stamp as kept once made: no int formatted, no call)
        iteration = ai.iterations or "0"
        stamp = inst._stamp or inst.call_stamp()
        key = f"{inst.id}:{call_key}/{iteration}{spec.key_tail}{stamp}"
        sensitive = spec.sensitive
        if inst.sensitive_extra:  # a subflow's formal parameters given a caller's secret
            sensitive = sensitive | spec.secret_formals(inst.sensitive_extra)
        if binding.asynchronous or spec.asynchronous:
            # inputs are taken now, as the activity reaches the call: what the job sends does
            # not depend on data that other branches change while it waits to be run; the job
            # stores them, so one no store can hold fails the call here, as a synchronous
            # call's unfit parameter does, not the commit (on a database only)
            if inputs:
                _storable(inputs, spec, where)
            payload = {
                "process_id": inst.process_id,
                "version": inst.version,
                "activity_instance_id": ai.id,
                "activity_id": act.id,
                "iteration": ai.iterations,
                "position": spec.position,
                "application_id": spec.application_id,
                "inputs": copy.deepcopy(inputs) if inputs else {},
                "staged": copy.deepcopy(outputs) if outputs else {},
                "sensitive": sorted(sensitive),
            }
            return InvokeRequest(payload, key)
        if call_stops.pending is not None and call_stops.stopping():
            raise ToolFailure(
                f"{where()}: application {spec.application_id!r} was not called: the command "
                f"was stopped ({type(call_stops.pending).__name__} in an earlier call)",
                application_id=spec.application_id,
            )
        # a job run before: its claims count as attempts of the run's first synchronous call
        # only, which the run it lost was making (job_claims.take): not of every call after
        first = job_claims.take(key) + 1 if calls.claimed else 1
        try:
            result = call_noting(  # (by position: see call_noting)
                binding,
                inputs,
                key,
                registry.sleep,
                calls.note,
                sensitive,
                where,
                spec.outputs,
                first,
            )
        except CallStopped as exc:  # SystemExit or Ctrl-C: see call_stops
            call_stops.stopped(exc)
            raise
        if result is not None or spec.required:  # (None: no outputs, and none missing)
            try:  # (_answered, inline: the path of every call that answers)
                kinds = inst.compiled.field_kinds
                got = _outputs(spec, result, where, kinds, optional=binding.outputs_optional)
            except ToolFailure as exc:
                _unfit(exc, inst, aid, [inputs[k] for k in sensitive if k in inputs])
                raise
            if got:
                if outputs is None:
                    outputs = got  # (_outputs made it: the call's own dict)
                else:
                    outputs.update(got)
    if outputs:
        inst.data.update(outputs)
    return None


def _watched(
    note: Callable[[str, dict[str, Any]], None],
    watcher: call_watch.Watcher,
    current: list[Any],
) -> Callable[[str, dict[str, Any]], None]:
    """``note``, telling ``watcher`` each attempt as it begins (its invoked record), of the
    activity ``current`` names (see :class:`ToolCalls`)."""

    def watched(kind: str, detail: dict[str, Any]) -> None:
        note(kind, detail)
        if kind == _INVOKED:
            inputs = detail["inputs"]
            watcher(
                call_watch.CallInProgress(
                    current[1],
                    current[2],
                    detail["application"],
                    detail["attempt"],
                    detail["key"],
                    inputs if isinstance(inputs, Mapping) else {},
                )
            )

    return watched


def resume_tools(
    calls: ToolCalls,
    ai: ActivityInstance,
    evaluate: Evaluate,
    payload: Mapping[str, Any],
    result: Any,
    call_key: str,
    now: datetime,
) -> InvokeRequest | None:
    """Carry on after the asynchronous call ``payload`` describes answered ``result``: check
    its outputs like a synchronous answer's, then run the remaining tools (:func:`run_tools`)."""
    where = ai.place
    registry = calls.registry
    position = int(payload["position"])
    staged = owned_values(payload.get("staged") or {})  # (the job's, stored)
    spec = ai.act.tools[position].spec
    binding = registry.get(spec.application_id) or find_binding(
        registry, spec.application_id, spec.application, where
    )
    inst = ai.scope.instance
    inputs = payload.get("inputs")
    sensitive = payload.get("sensitive") or ()
    secrets = [inputs[k] for k in sensitive if k in inputs] if isinstance(inputs, Mapping) else ()
    optional = binding.outputs_optional
    staged.update(_answered(spec, result, where, inst, ai.id, optional, secrets))
    return run_tools(calls, ai, evaluate, call_key, now, position + 1, staged)


def _why(exc: ValueError, sensitive: bool) -> str:
    """A coercion failure as an incident may tell it: a sensitive value is not quoted (the
    message goes into the audit trail and the outbox, which keep what they are given)."""
    if sensitive:
        return exc.hidden if isinstance(exc, CoercionError) else "not of its type (not shown)"
    return str(exc)


def _inputs(
    spec: ToolSpec,
    evaluate: Evaluate,
    ai: ActivityInstance,
    staged: Mapping[str, Any],
    where: Callable[[], str],
) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for p in spec.params:
        if p.value is None:
            continue
        value = evaluate(ai, p.value, staged or None)
        kind = p.kind
        vt = type(value)
        if (  # one coerce gives back as it is (most): not called (see _outputs)
            (vt is int and kind is _INTEGER)
            or (vt is str and kind is _STRING)
            or (vt is bool and kind is _BOOLEAN)
        ) and not p.is_array:
            inputs[p.formal] = value
            continue
        try:
            inputs[p.formal] = coerce(value, kind, p.is_array)
        except ValueError as exc:
            raise ToolFailure(
                f"{where()}: {p.mode.value} parameter {p.formal!r} of application "
                f"{spec.application_id!r} (from {p.value.text!r}): {_why(exc, p.sensitive)}",
                application_id=spec.application_id,
            ) from None
    return inputs


def _storable(inputs: Mapping[str, Any], spec: ToolSpec, where: Callable[[], str]) -> None:
    """Raise :class:`ToolFailure` when an ``invoke`` job's payload could not store ``inputs``."""
    app_id = spec.application_id
    try:
        check_storable(inputs, lambda: f"{where()}: the asynchronous call of {app_id!r}, inputs")
    except DataNotStorableError as exc:
        raise ToolFailure(str(exc), application_id=app_id) from exc


def _answered(
    spec: ToolSpec,
    result: Any,
    where: Callable[[], str],
    inst: ProcessInstance,
    activity_instance_id: str,
    optional: bool,
    secrets: Sequence[Any] = (),
) -> dict[str, Any]:
    """The outputs of an answer (:func:`_outputs`, by the instance's field types); one that
    does not fit is a :class:`ToolFailure` that counts the attempts made (the call was).

    Its message shows the call's sensitive inputs (``secrets``: the values of formals its
    Application marks, or that took a sensitive field's value) as ``***``, as a failed
    call's does (:func:`~wfengine.applications.redaction.failure_text`): an answer of the
    wrong type often echoes the request (``"card 4111-..."`` for an INTEGER), and the
    incident's own masking knows only the instance's sensitive fields."""
    try:
        return _outputs(spec, result, where, inst.compiled.field_kinds, optional=optional)
    except ToolFailure as exc:
        _unfit(exc, inst, activity_instance_id, secrets)
        raise


def _unfit(
    exc: ToolFailure, inst: ProcessInstance, activity_instance_id: str, secrets: Sequence[Any]
) -> None:
    """Make ``exc``, an answer's that does not fit (:func:`_answered`), count the attempts
    made and show ``secrets`` as ``***``."""
    exc.attempts = _answered_attempt(inst, activity_instance_id)
    if secrets:
        exc.message = masked_text(exc.message, secrets)
        exc.args = (exc.message,)


def _answered_attempt(inst: ProcessInstance, activity_instance_id: str) -> int:
    """Which attempt of the call gave the answer just recorded for the activity instance (the
    incident of an answer that does not fit says how often the call was made)."""
    for change_ in reversed(inst.changes):
        if change_[1] == _RETURNED and change_[2] == activity_instance_id:
            detail = change_[4]
            if isinstance(detail, Mapping) and isinstance(detail.get("attempt"), int):
                return int(detail["attempt"])
            break
    return 1


#: the inputs of a call that has none, and the staged outputs before any: read, never
#: written (a payload takes ``{}`` of its own)
_NO_VALUES: Mapping[str, Any] = MappingProxyType({})
_RETURNED = ApplicationReturned.KIND
_INVOKED = ApplicationInvoked.KIND
_FAILED = ApplicationFailed.KIND
#: the types whose values of their own plain type :func:`coerce` gives back as they are
_INTEGER = BasicTypeKind.INTEGER
_STRING = BasicTypeKind.STRING
_BOOLEAN = BasicTypeKind.BOOLEAN


def _outputs(
    spec: ToolSpec,
    result: Any,
    where: Callable[[], str],
    kinds: Mapping[str, tuple[Checked, bool]],
    *,
    optional: bool = False,
) -> dict[str, Any]:
    """The data-field values ``result`` gives; raises :class:`ToolFailure` on a mismatch
    (``optional``: OUT parameters left out are not one; their fields keep their values).
    A value is checked by its formal parameter's type, then by the type of the field it is
    written to (``kinds``: the process's ``field_kinds``) where that differs: a field holds
    only what its declared type takes, as when a script or a person writes it.
    ``where()`` says which instance and activity an error names."""
    app_id = spec.application_id
    if result is None or (type(result) is dict and not result):
        if optional or not spec.required:
            return {}  # no outputs (most calls), and none was required
        result = {}
    elif type(result) is not dict and not isinstance(result, Mapping):
        raise ToolFailure(
            f"{where()}: application {app_id!r} returned {type(result).__name__}, "
            "expected a mapping of OUT parameters",
            application_id=app_id,
        )
    outs = spec.outputs
    if not outs.keys() >= result.keys():  # (a set comparison: no loop of Python code)
        unknown = [k for k in result if k not in outs]
        raise ToolFailure(
            f"{where()}: application {app_id!r} returned {unknown!r}, "
            f"which are not its OUT/INOUT parameters ({sorted(outs)})",
            application_id=app_id,
        )
    if not optional and spec.required:
        missing = [formal for formal in spec.required if formal not in result]
        if missing:
            raise ToolFailure(
                f"{where()}: application {app_id!r} did not return its OUT parameters {missing!r}",
                application_id=app_id,
            )
    if not result:
        return {}
    data: dict[str, Any] = {}
    # every value text, a bool, None or an int a store takes (most answers): then no look
    # after the loop (check_storable's, shares') can find anything, and none is made
    plain = True
    for formal, value in result.items():
        p = outs[formal]
        target = p.target
        assert target is not None
        kind = p.kind
        is_array = p.is_array
        vt = type(value)
        # a value of its formal's type as coerce gives it back (an int for an INTEGER...)
        # is not given to coerce: the answer of nearly every call, a call less per value
        if is_array or not (
            (vt is int and kind is _INTEGER)
            or (vt is str and kind is _STRING)
            or (vt is bool and kind is _BOOLEAN)
        ):
            try:
                value = coerce(value, kind, is_array)
            except ValueError as exc:
                raise ToolFailure(
                    f"{where()}: application {app_id!r} returned {p.mode.value} parameter "
                    f"{formal!r}: {_why(exc, p.sensitive)}",
                    application_id=app_id,
                ) from None
            vt = type(value)
        field_kind = kinds.get(target)
        if (  # (the same kind, the same object: no tuple made to compare)
            field_kind is not None
            and (field_kind[0] is not kind or field_kind[1] is not is_array)
            and field_kind != (kind, is_array)
        ):
            try:  # (a field of another type than the formal's: its own type decides)
                value = coerce(value, *field_kind)
            except ValueError as exc:
                raise ToolFailure(
                    f"{where()}: application {app_id!r} returned {p.mode.value} parameter "
                    f"{formal!r} for data field {target!r}, which does not take it: "
                    f"{_why(exc, p.sensitive)}",
                    application_id=app_id,
                ) from None
            vt = type(value)
        if plain and not (  # (runtime.values._plain: what a store takes as it is)
            vt is str
            or value is None
            or vt is bool
            or (vt is int and value.bit_length() <= MAX_INT_BITS)
        ):
            plain = False
        data[target] = value
    if plain:  # (the keys are data field ids: text)
        return data
    try:
        check_storable(data, lambda: f"{where()}: application {app_id!r} returned")
    except DataNotStorableError as exc:
        raise ToolFailure(str(exc), application_id=app_id) from exc
    # the instance keeps copies: the memory store keeps what it is given, and a host that
    # changed the dict its application returned (a cache's) changed the instance unaudited
    return owned_values(data) if shares(data) else data
