"""Calling an activity's applications: parameter mapping, timeouts, retries, audit.

The navigator hands a Tool activity instance to :func:`run_tools`, which for each tool, in
order:

1. finds the binding (:meth:`ApplicationRegistry.resolve`: code, entry points, or an agent the
   definition declares and the host enabled);
2. evaluates the IN/INOUT actual parameters and checks and coerces each value by its formal
   parameter's XPDL basic type (:func:`coerce`);
3. calls the agent with an **idempotency key** that is the same for every attempt of this call
   (instance, activity instance, loop iteration, tool position), retrying a failure with
   exponential backoff up to the binding's ``retries`` and bounding each attempt by its
   ``timeout``;
4. checks the answer: a mapping whose keys are OUT/INOUT formal ids, every OUT present, every
   value of its type.

Outputs of one tool are visible to the next tool's inputs but reach the instance's data only
when every tool of the activity succeeded: a failure changes no data ("not half-navigated"),
and the navigator turns it into the activity's EXCEPTION transition or an incident.

Timeouts: a synchronous callable runs in a daemon worker thread and the engine stops waiting
after the timeout. **A Python thread cannot be killed**: the abandoned call may still finish
its side effect later, which is what the idempotency key is for. An ``async def`` callable runs
in its own event loop and is cancelled at the timeout.

Retries of a synchronous binding happen inside the engine command, so the command lasts as
long as the attempts and their backoff. Long or unreliable calls belong to **asynchronous**
bindings (``register(..., asynchronous=True)``, or ``wfengine:asynchronous`` ``true`` on a
definition's Application): :func:`run_tools` does not call them but returns an
:class:`InvokeRequest`, the navigator commits an ``invoke`` job and the activity waits (open,
like a work item or a timer; the job is held with its deadline timers, so closing the activity
deletes it). The job's payload names the instance, activity instance, loop iteration, tool
position and application, and holds the inputs **as of the moment the call was reached** (so
what is sent does not depend on when a worker gets to it) and the outputs of earlier tools.
:class:`InvokeJobHandler` makes the call in ``prepare``, before the job's command and with no
unit of work open, and commits the result in the command: outputs written and navigation going
on, or the failure handled as a synchronous one's. A failed attempt with retries left is given
back by the same commit, due after ``binding.delay(attempt)`` with ``attempt`` the job's claim
count, and keeps its idempotency key. A result the instance no longer waits for (closed,
suspended, the activity gone on, the job taken over or carried out by another claimant) is
audited as ``application.discarded`` and changes nothing else; a suspended instance's job runs
again after resume.

Audit: an asynchronous call first appends ``application.queued`` (key, job). Every attempt
appends ``application.invoked`` (inputs, attempt, key), then
``application.returned`` (outputs) or ``application.failed`` (error, whether it will be
retried). Values of sensitive fields are replaced by ``"***"``: a formal parameter listed in
its Application's ``wfengine:sensitive`` extended attribute, or a DataField whose
``wfengine:sensitive`` is ``true``.
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import re
import threading
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from wfengine.definition.model import (
    Application,
    ArrayType,
    BasicType,
    BasicTypeKind,
    DataField,
    DataType,
    DeclaredType,
    ListType,
    Package,
    ParameterMode,
)
from wfengine.errors import (
    ApplicationError,
    ApplicationTimeoutError,
    DataNotStorableError,
    IllegalStateError,
    ParameterMappingError,
    PermanentApplicationError,
)
from wfengine.runtime.applications import (
    IDEMPOTENCY_KEYWORD,
    SENSITIVE_ATTRIBUTE,
    ApplicationRegistry,
    Binding,
)
from wfengine.runtime.compiler import SPLIT_FIRST, CActivity, CTool, CTransition
from wfengine.runtime.evaluation import CompiledExpression
from wfengine.runtime.instance import ActivityInstance, Incident, ProcessInstance
from wfengine.runtime.jobs import Job
from wfengine.runtime.states import ProcessState
from wfengine.runtime.values import check_storable

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.navigator import Navigator

#: what a redacted value reads as in the audit trail
REDACTED = "***"
#: evaluates an actual parameter's expression; the mapping holds outputs of earlier tools
Evaluate = Callable[[CompiledExpression, Mapping[str, Any]], Any]
#: appends one audit change ``(kind, detail)`` for the activity instance being run
Record = Callable[[str, dict[str, Any]], None]


class ToolFailure(ApplicationError):
    """A tool of an activity failed. ``exception_name`` picks the EXCEPTION transition (None
    for mapping errors, which always become incidents); ``application_id`` and ``attempts``
    say what was called and how often."""

    def __init__(
        self,
        message: str,
        *,
        application_id: str,
        exception_name: str | None = None,
        attempts: int = 0,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.application_id = application_id
        self.exception_name = exception_name
        self.attempts = attempts


# --------------------------------------------------------------------------- what a tool needs


@dataclass(frozen=True, slots=True)
class ParamSpec:
    formal: str
    mode: ParameterMode
    #: the XPDL basic type values are checked against; None: not checked (schemas, records...)
    kind: BasicTypeKind | None
    is_array: bool
    sensitive: bool
    #: IN/INOUT: the actual expression; OUT/INOUT: the data field written
    value: CompiledExpression | None
    target: str | None


@dataclass(frozen=True, slots=True)
class ToolSpec:
    application_id: str
    application: Application | None
    position: int
    params: tuple[ParamSpec, ...]

    @property
    def outputs(self) -> dict[str, ParamSpec]:
        return {p.formal: p for p in self.params if p.target is not None}


#: id(CActivity) -> (the activity, its tool specs); holds the activity so its id is not reused
_SPECS: dict[int, tuple[CActivity, tuple[ToolSpec, ...]]] = {}
_SPECS_LIMIT = 10_000


def tool_specs(
    package: Package | Callable[[], Package], process_id: str, act: CActivity
) -> tuple[ToolSpec, ...]:
    """The typed parameter tables of ``act``'s tools, built once per deployed activity.

    ``package`` may be a function giving it, called only when the tables are not built yet.
    """
    cached = _SPECS.get(id(act))
    if cached is not None and cached[0] is act:
        return cached[1]
    if callable(package):
        package = package()
    process = package.process(process_id)
    apps = {a.id: a for a in package.applications}
    apps.update({a.id: a for a in process.applications})
    fields = {f.id: f for f in (*package.data_fields, *process.data_fields)}
    types = {t.id: t.data_type for t in package.type_declarations}
    specs = tuple(
        _tool_spec(tool, apps.get(tool.application_id), position, fields, types)
        for position, tool in enumerate(act.tools)
    )
    if len(_SPECS) >= _SPECS_LIMIT:
        _SPECS.clear()
    _SPECS[id(act)] = (act, specs)
    return specs


def _tool_spec(
    tool: CTool,
    app: Application | None,
    position: int,
    fields: Mapping[str, DataField],
    types: Mapping[str, DataType],
) -> ToolSpec:
    formals = {fp.id: fp for fp in app.formal_parameters} if app else {}
    marked = sensitive_formals(app) if app else frozenset()
    params: list[ParamSpec] = []
    for p in tool.params:
        fp = formals.get(p.formal)
        kind, is_array = _basic_kind(fp.data_type, types) if fp else (None, False)
        names = {p.target} if p.target else set()
        if p.value is not None and p.value.text.strip() in fields:
            names.add(p.value.text.strip())
        sensitive = p.formal in marked or any(
            n in fields and is_sensitive_field(fields[n]) for n in names
        )
        params.append(
            ParamSpec(
                formal=p.formal,
                mode=p.mode,
                kind=kind,
                is_array=is_array or bool(fp and fp.is_array),
                sensitive=sensitive,
                value=p.value,
                target=p.target,
            )
        )
    return ToolSpec(tool.application_id, app, position, tuple(params))


def _basic_kind(
    data_type: DataType, types: Mapping[str, DataType], depth: int = 0
) -> tuple[BasicTypeKind | None, bool]:
    """The basic type behind ``data_type`` (through declared types), and whether it is a
    list/array of it; (None, False) for types that are not checked."""
    if depth > 8:
        return None, False
    if isinstance(data_type, BasicType):
        return data_type.type, False
    if isinstance(data_type, DeclaredType):
        inner = types.get(data_type.id)
        return _basic_kind(inner, types, depth + 1) if inner is not None else (None, False)
    if isinstance(data_type, ArrayType | ListType):
        kind, _ = _basic_kind(data_type.element, types, depth + 1)
        return kind, True
    return None, False


def sensitive_formals(app: Application) -> frozenset[str]:
    """Formal parameter ids listed in the Application's ``wfengine:sensitive`` attribute."""
    text = app.extended_attribute(SENSITIVE_ATTRIBUTE) or ""
    return frozenset(t for t in re.split(r"[\s,]+", text) if t)


def is_sensitive_field(field: DataField) -> bool:
    """A DataField whose ``wfengine:sensitive`` attribute is true (or present without value)."""
    for ea in field.extended_attributes:
        if ea.name == SENSITIVE_ATTRIBUTE:
            value = (ea.value if ea.value is not None else ea.text) or "true"
            return value.strip().lower() in ("true", "yes", "1")
    return False


# --------------------------------------------------------------------------- type coercion


_INTEGER = re.compile(r"[+-]?\d+")


def coerce(value: Any, kind: BasicTypeKind | None, is_array: bool = False) -> Any:
    """``value`` checked against an XPDL basic type and converted where that loses nothing.

    None (an unset field) passes for every type. Strings are parsed for numbers, booleans
    (``true``/``false``) and ISO dates and times, since HTTP, JSON and subprocess agents
    answer in text; numbers become strings for STRING; an integral float becomes an INTEGER.
    REFERENCE values are opaque and pass unchanged; types that are not basic are not checked.
    Raises ``ValueError`` saying what was expected and what came.
    """
    if value is None or kind is None:
        return value
    if is_array:
        if not isinstance(value, list | tuple):
            raise ValueError(f"expected a list of {kind.value}, got {_describe(value)}")
        return [coerce(v, kind) for v in value]
    return _COERCE[kind](value)


def _describe(value: Any) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def _expected(kind: str, value: Any) -> ValueError:
    return ValueError(f"expected {kind}, got {_describe(value)}")


def _string(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    raise _expected("STRING", v)


def _integer(v: Any) -> int:
    if isinstance(v, bool):
        raise _expected("INTEGER", v)
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str) and _INTEGER.fullmatch(v.strip()):
        return int(v.strip())
    raise _expected("INTEGER", v)


def _float(v: Any) -> float:
    if isinstance(v, bool):
        raise _expected("FLOAT", v)
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v.strip())
        except ValueError:
            pass
    raise _expected("FLOAT", v)


def _boolean(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in ("true", "false"):
        return v.strip().lower() == "true"
    raise _expected("BOOLEAN", v)


def _datetime(v: Any) -> datetime:
    if isinstance(v, datetime):
        return v
    if isinstance(v, str):
        try:
            return datetime.fromisoformat(v.strip())
        except ValueError:
            pass
    raise _expected("DATETIME (ISO 8601)", v)


def _date(v: Any) -> date:
    if isinstance(v, date) and not isinstance(v, datetime):
        return v
    if isinstance(v, str):
        try:
            return date.fromisoformat(v.strip())
        except ValueError:
            pass
    raise _expected("DATE (ISO 8601)", v)


def _time(v: Any) -> time:
    if isinstance(v, time):
        return v
    if isinstance(v, str):
        try:
            return time.fromisoformat(v.strip())
        except ValueError:
            pass
    raise _expected("TIME (ISO 8601)", v)


def _performer(v: Any) -> str:
    if isinstance(v, str):
        return v
    raise _expected("PERFORMER (a participant or user id)", v)


_COERCE: dict[BasicTypeKind, Callable[[Any], Any]] = {
    BasicTypeKind.STRING: _string,
    BasicTypeKind.INTEGER: _integer,
    BasicTypeKind.FLOAT: _float,
    BasicTypeKind.BOOLEAN: _boolean,
    BasicTypeKind.DATETIME: _datetime,
    BasicTypeKind.DATE: _date,
    BasicTypeKind.TIME: _time,
    BasicTypeKind.REFERENCE: lambda v: v,
    BasicTypeKind.PERFORMER: _performer,
}


# --------------------------------------------------------------------------- audit values


def audit_values(values: Mapping[str, Any], sensitive: set[str] | frozenset[str]) -> dict[str, Any]:
    """``values`` as the audit trail keeps them: sensitive ones redacted, dates as ISO text,
    anything that is not plain JSON data as its ``repr``."""
    return {k: REDACTED if k in sensitive else _plain(v) for k, v in values.items()}


def _plain(v: Any) -> Any:
    if v is None or isinstance(v, str | int | float | bool):
        return v
    if isinstance(v, datetime | date | time):
        return v.isoformat()
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    if isinstance(v, Mapping):
        return {str(k): _plain(x) for k, x in v.items()}
    return repr(v)


# --------------------------------------------------------------------------- running the tools


@dataclass(frozen=True, slots=True)
class InvokeRequest:
    """A call of an asynchronous application that :func:`run_tools` reached: the navigator
    turns it into an ``invoke`` job (``payload`` and idempotency ``key``) and the activity
    waits for that job."""

    payload: dict[str, Any]
    key: str


def _specs(engine: Engine, ai: ActivityInstance) -> tuple[ToolSpec, ...]:
    inst = ai.scope.instance
    return tool_specs(
        lambda: engine.deployed(inst.process_id, inst.version).package, inst.process_id, ai.act
    )


def run_tools(
    engine: Engine,
    ai: ActivityInstance,
    now: datetime,
    evaluate: Evaluate,
    *,
    start: int = 0,
    staged: Mapping[str, Any] | None = None,
) -> InvokeRequest | None:
    """Run the tools of ``ai``'s activity from position ``start``; when all have answered,
    write their outputs (``staged``: those of earlier tools) to the instance's data.

    A tool whose binding is asynchronous is not called: its request is returned (nothing
    written yet) and the activity waits for the ``invoke`` job; its result comes back through
    :func:`resume_tools`. Raises :class:`ToolFailure` (nothing written) when a tool is unbound,
    a parameter does not fit, or the call fails after its retries. Errors of ``evaluate`` (an
    actual parameter's expression) propagate unchanged.
    """
    inst = ai.scope.instance
    act = ai.act
    specs = _specs(engine, ai)
    where = f"instance {inst.id!r}, activity {act.id!r}"

    def record(kind: str, detail: dict[str, Any]) -> None:
        inst.changes.append((now, kind, ai.id, act.id, detail))

    outputs: dict[str, Any] = dict(staged or {})
    for spec in specs[start:]:
        binding = _binding(engine.applications, spec, where)
        inputs = _inputs(spec, evaluate, outputs, where)
        key = f"{ai.id}/{ai.iterations}/{spec.position}"
        sensitive = frozenset(p.formal for p in spec.params if p.sensitive)
        if binding.asynchronous:
            # inputs are taken now, as the activity reaches the call: what the job sends does
            # not depend on data that other branches change while it waits to be run
            payload = {
                "process_id": inst.process_id,
                "version": inst.version,
                "activity_instance_id": ai.id,
                "activity_id": act.id,
                "iteration": ai.iterations,
                "position": spec.position,
                "application_id": spec.application_id,
                "inputs": copy.deepcopy(inputs),
                "staged": copy.deepcopy(outputs),
                "sensitive": sorted(sensitive),
            }
            return InvokeRequest(payload, key)
        result = call_application(
            binding,
            inputs,
            key,
            sleep=engine.applications.sleep,
            record=record,
            sensitive=sensitive,
            where=where,
        )
        outputs.update(_outputs(spec, result, where, optional=binding.outputs_optional))
    inst.data.update(outputs)
    return None


def resume_tools(
    engine: Engine,
    ai: ActivityInstance,
    now: datetime,
    evaluate: Evaluate,
    payload: Mapping[str, Any],
    result: Any,
) -> InvokeRequest | None:
    """Carry on after the asynchronous call ``payload`` describes answered ``result``: check
    its outputs like a synchronous answer's, then run the remaining tools (:func:`run_tools`)."""
    inst = ai.scope.instance
    where = f"instance {inst.id!r}, activity {ai.act.id!r}"
    position = int(payload["position"])
    staged = dict(payload.get("staged") or {})
    staged.update(_outputs(_specs(engine, ai)[position], result, where))
    return run_tools(engine, ai, now, evaluate, start=position + 1, staged=staged)


def _binding(registry: ApplicationRegistry, spec: ToolSpec, where: str) -> Binding:
    app_id = spec.application_id
    try:
        binding = (
            registry.resolve(spec.application)
            if spec.application is not None
            else registry.get(app_id)
        )
    except ApplicationError as exc:
        raise ToolFailure(f"{where}: {exc}", application_id=app_id) from exc
    if binding is None:
        raise ToolFailure(
            f"{where}: application {app_id!r} is not bound; register it "
            "with engine.applications.register() and retry the incident",
            application_id=app_id,
        )
    return binding


def _inputs(
    spec: ToolSpec, evaluate: Evaluate, staged: Mapping[str, Any], where: str
) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for p in spec.params:
        if p.value is None:
            continue
        value = evaluate(p.value, staged)
        try:
            inputs[p.formal] = coerce(value, p.kind, p.is_array)
        except ValueError as exc:
            raise ToolFailure(
                f"{where}: {p.mode.value} parameter {p.formal!r} of application "
                f"{spec.application_id!r} (from {p.value.text!r}): {exc}",
                application_id=spec.application_id,
            ) from exc
    return inputs


def _outputs(spec: ToolSpec, result: Any, where: str, *, optional: bool = False) -> dict[str, Any]:
    """The data-field values ``result`` gives; raises :class:`ToolFailure` on a mismatch
    (``optional``: OUT parameters left out are not one; their fields keep their values)."""
    app_id = spec.application_id
    outs = spec.outputs
    if result is None:
        result = {}
    if not isinstance(result, Mapping):
        raise ToolFailure(
            f"{where}: application {app_id!r} returned {type(result).__name__}, "
            "expected a mapping of OUT parameters",
            application_id=app_id,
        )
    unknown = [k for k in result if k not in outs]
    if unknown:
        raise ToolFailure(
            f"{where}: application {app_id!r} returned {unknown!r}, "
            f"which are not its OUT/INOUT parameters ({sorted(outs)})",
            application_id=app_id,
        )
    missing = [
        p.formal for p in outs.values() if p.mode is ParameterMode.OUT and p.formal not in result
    ]
    if missing and not optional:
        raise ToolFailure(
            f"{where}: application {app_id!r} did not return its OUT parameters {missing!r}",
            application_id=app_id,
        )
    data: dict[str, Any] = {}
    for formal, value in result.items():
        p = outs[formal]
        assert p.target is not None
        try:
            data[p.target] = coerce(value, p.kind, p.is_array)
        except ValueError as exc:
            raise ToolFailure(
                f"{where}: application {app_id!r} returned {p.mode.value} parameter "
                f"{formal!r}: {exc}",
                application_id=app_id,
            ) from exc
    try:
        check_storable(data, f"{where}: application {app_id!r} returned")
    except DataNotStorableError as exc:
        raise ToolFailure(str(exc), application_id=app_id) from exc
    return data


# --------------------------------------------------------------------------- one call


def call_application(
    binding: Binding,
    inputs: Mapping[str, Any],
    key: str,
    *,
    sleep: Callable[[float], None],
    record: Record,
    sensitive: frozenset[str] = frozenset(),
    where: str = "",
) -> Any:
    """Call ``binding`` with ``inputs`` until it answers or its retries run out.

    Every attempt gets the same idempotency ``key``. A :class:`PermanentApplicationError`
    (say an HTTP 4xx) is not retried. Returns the callable's answer unchecked; raises
    :class:`ToolFailure` with the last error.
    """
    app_id = binding.application_id
    attempts = binding.retries + 1
    shown = audit_values(inputs, sensitive)
    prefix = f"{where}: " if where else ""
    for attempt in range(1, attempts + 1):
        record(
            "application.invoked",
            {"application": app_id, "attempt": attempt, "key": key, "inputs": shown},
        )
        try:
            result = _call_once(binding, inputs, key)
        except Exception as exc:
            final = attempt == attempts or isinstance(exc, PermanentApplicationError)
            delay = None if final else binding.delay(attempt)
            error = f"{type(exc).__name__}: {exc}"
            record(
                "application.failed",
                {"application": app_id, "attempt": attempt, "error": error, "retry_in": delay},
            )
            if final:
                tries = f"attempt {attempt} of {attempts}" if attempts > 1 else "1 attempt"
                name = getattr(exc, "exception_name", None)
                raise ToolFailure(
                    f"{prefix}application {app_id!r} raised {error} ({tries})",
                    application_id=app_id,
                    exception_name=name if isinstance(name, str) else type(exc).__name__,
                    attempts=attempt,
                ) from exc
            assert delay is not None
            sleep(delay)
            continue
        outputs = audit_values(result, sensitive) if isinstance(result, Mapping) else _plain(result)
        record(
            "application.returned", {"application": app_id, "attempt": attempt, "outputs": outputs}
        )
        return result
    raise AssertionError("unreachable")  # pragma: no cover


def _call_once(binding: Binding, inputs: Mapping[str, Any], key: str) -> Any:
    kwargs = dict(inputs)
    if binding.takes_key and IDEMPOTENCY_KEYWORD not in kwargs:
        kwargs[IDEMPOTENCY_KEYWORD] = key
    func = binding.func
    timeout = binding.timeout
    if binding.is_async:
        return _run_coroutine(binding, lambda: func(**kwargs))
    result = func(**kwargs) if timeout is None else _in_thread(binding, lambda: func(**kwargs))
    if inspect.isawaitable(result):
        awaitable = result
        return _run_coroutine(binding, lambda: _awaiting(awaitable))
    return result


async def _awaiting(awaitable: Any) -> Any:
    return await awaitable


def _in_thread(binding: Binding, call: Callable[[], Any], grace: float = 0.0) -> Any:
    """``call()`` in a daemon thread, waiting at most the binding's timeout (+ ``grace``).

    On timeout the thread is abandoned, not stopped (Python cannot stop a thread); being a
    daemon, it does not keep the process alive.
    """
    box: dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:
            box["error"] = exc
        finally:
            done.set()

    thread = threading.Thread(
        target=target, name=f"wfengine-app-{binding.application_id}", daemon=True
    )
    thread.start()
    limit = None if binding.timeout is None else binding.timeout + grace
    if not done.wait(limit):
        raise ApplicationTimeoutError(
            f"no answer within {binding.timeout:g} s; the call was abandoned"
        )
    if "error" in box:
        raise box["error"]
    return box["value"]


def _run_coroutine(binding: Binding, make: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """Run an ``async def`` call in a fresh event loop, cancelled at the binding's timeout.

    When the calling thread already runs an event loop (the engine driven from async code),
    the fresh loop runs in a worker thread, since one thread cannot run two loops.
    """
    timeout = binding.timeout

    def run() -> Any:
        async def bounded() -> Any:
            return await asyncio.wait_for(make(), timeout)

        try:
            return asyncio.run(bounded())
        except TimeoutError as exc:
            raise ApplicationTimeoutError(
                f"no answer within {timeout:g} s; the coroutine was cancelled"
            ) from exc

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run()
    return _in_thread(binding, run, grace=1.0)


# --------------------------------------------------------------------------- skipping an incident


def skip_incident(
    engine: Engine,
    incident_id: str,
    outputs: Mapping[str, Any] | None,
    take: Sequence[str] | None = None,
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
    the engine's command helpers.
    """

    def body() -> None:
        incident = engine._incident(incident_id)
        inst = engine.store.instance(incident.instance_id)
        subject = f"incident {incident_id!r} of instance {inst.id!r}"
        if incident.resolved:
            raise IllegalStateError(subject, "resolved", "skip")
        decision = incident.operation == "leave"
        if incident.activity_instance_id is None or not (decision or incident.operation == "run"):
            raise IllegalStateError(
                subject,
                f"a failed {incident.operation!r} operation, not an activity's work or decision",
                "skip",
            )
        if inst.state is not ProcessState.RUNNING:
            raise IllegalStateError(subject, f"in an instance that is {inst.state.value}", "skip")
        ai = inst.activities[incident.activity_instance_id]
        if decision:
            nav = engine._nav()
            chosen = _chosen_ways(nav, ai, take, subject)
            data, sensitive = _skip_data(
                engine, inst, ai, dict(outputs or {}), subject, any_field=True
            )
            _resolve_skip(nav, inst, ai, incident, data, sensitive, take=[ct.id for ct in chosen])
            nav.leave_along(ai, chosen)
            engine._commit(nav)
            return
        if take:
            raise IllegalStateError(
                subject, "a failed activity's work, not a decision", "skip with a way to take"
            )
        data, sensitive = _skip_data(engine, inst, ai, dict(outputs or {}), subject)
        nav = engine._nav()
        apply_skip(nav, inst, ai, incident, data, sensitive)
        engine._commit(nav)

    engine._command(body)


def _chosen_ways(
    nav: Navigator, ai: ActivityInstance, take: Sequence[str] | None, subject: str
) -> list[CTransition]:
    """The transitions ``take`` names, checked against the activity's ways on."""
    ways = nav.ways_on(ai)
    listed = ", ".join(ways) or "none"
    if ai.mi is not None or ai.mi_parent is not None:
        raise IllegalStateError(subject, "a multi-instance activity's routing", "skip")
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
    engine: Engine,
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
    sensitive = {k for k in outputs if k in fields and is_sensitive_field(fields[k])}
    if ai.act.tools and not any_field:
        allowed: dict[str, ParamSpec] = {}
        for spec in tool_specs(package, inst.process_id, ai.act):
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
        return data, sensitive
    known = set(fields) | {fp.id for fp in process.formal_parameters}
    unknown = sorted(k for k in outputs if k not in known)
    if unknown:
        raise ParameterMappingError(
            f"{subject}: cannot skip with {unknown!r}: not data fields of {inst.process_id!r}"
        )
    check_storable(outputs, subject)
    return outputs, sensitive


def apply_skip(
    nav: Navigator,
    inst: ProcessInstance,
    ai: ActivityInstance,
    incident: Incident,
    data: Mapping[str, Any],
    sensitive: set[str],
) -> None:
    """Resolve ``incident`` with checked ``data`` and let the activity finish (navigator part)."""
    _resolve_skip(nav, inst, ai, incident, data, sensitive)
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
) -> None:
    nav.touch(inst)
    incident.resolved = True
    ai.incident = None
    detail: dict[str, Any] = {"incident": incident.id, "outputs": audit_values(data, sensitive)}
    if take is not None:
        detail["take"] = take
    inst.changes.append((nav.now, "incident.skipped", ai.id, ai.act.id, detail))
    inst.data.update(data)


# --------------------------------------------------------------------------- asynchronous calls


@dataclass(slots=True, eq=False)
class InvokeOutcome:
    """What one run of an ``invoke`` job's call gave, made outside any unit of work; calling
    it (inside the job's command) applies it to the instance.

    ``records`` are the attempt's audit changes ``(at, kind, detail)``; exactly one of
    ``result``/``error`` is meaningful; ``retry_in`` (seconds) is set when a failed attempt
    is to be repeated by the same job.
    """

    records: list[tuple[datetime, str, dict[str, Any]]]
    result: Any = None
    error: ToolFailure | None = None
    retry_in: float | None = None

    def __call__(self, nav: Navigator, job: Job, inst: ProcessInstance) -> None:
        payload = job.payload
        ai = inst.activities.get(payload["activity_instance_id"])
        if (
            ai is None
            or ai.state.is_closed
            or job.id not in ai.timers
            or ai.iterations != payload["iteration"]
        ):
            self.discard(nav, inst, job, "the activity no longer waits for this call")
            return
        self._record(nav, inst, job)
        if self.error is not None and self.retry_in is not None:
            nav.step.job_again_at = nav.now + timedelta(seconds=self.retry_in)
            return
        ai.timers.remove(job.id)
        nav.invocation_done(ai, payload, self.result, self.error)

    def discard(self, nav: Navigator, inst: ProcessInstance, job: Job, reason: str) -> None:
        """Keep the attempt in the audit trail but leave the instance alone: it was closed,
        suspended, or has moved on, or another claimant took the job over."""
        self._record(nav, inst, job)
        payload = job.payload
        inst.changes.append(
            (
                nav.now,
                "application.discarded",
                payload["activity_instance_id"],
                payload["activity_id"],
                {"application": payload["application_id"], "key": job.key, "reason": reason},
            )
        )

    def _record(self, nav: Navigator, inst: ProcessInstance, job: Job) -> None:
        nav.touch(inst)
        payload = job.payload
        for at, kind, detail in self.records:
            inst.changes.append(
                (at, kind, payload["activity_instance_id"], payload["activity_id"], detail)
            )


class InvokeJobHandler:
    """``engine.job_handlers["invoke"]``: one call of an asynchronous application.

    :meth:`prepare` makes the call, bounded by the binding's timeout, before the job's
    command opens its unit of work, so no transaction is held while a slow system answers;
    the :class:`InvokeOutcome` it returns is then run inside the command and commits the
    result exactly like a synchronous call's: outputs written and the activity moving on, or
    the failure following the EXCEPTION transition or becoming an incident. A failed attempt
    with retries left gives the job back due after ``binding.delay(attempt)`` (``attempt`` is
    the job's claim count), with the same idempotency key.
    """

    def prepare(self, engine: Engine, job: Job) -> InvokeOutcome:
        payload = job.payload
        app_id = payload["application_id"]
        key = job.key or ""
        inputs = dict(payload["inputs"])
        sensitive = frozenset(payload.get("sensitive") or ())
        attempt = max(job.attempts, 1)
        where = f"instance {job.instance_id!r}, activity {payload['activity_id']!r}"
        records: list[tuple[datetime, str, dict[str, Any]]] = [
            (
                engine.clock.now(),
                "application.invoked",
                {
                    "application": app_id,
                    "attempt": attempt,
                    "key": key,
                    "inputs": audit_values(inputs, sensitive),
                    "job": job.id,
                },
            )
        ]
        binding: Binding | None = None
        try:
            binding = _async_binding(engine, payload, where)
            result = _call_once(binding, inputs, key)
        except Exception as exc:
            retries = binding.retries if binding is not None else 0
            final = (
                binding is None
                or attempt > retries
                or isinstance(exc, PermanentApplicationError | ToolFailure)
            )
            delay = None if final or binding is None else binding.delay(attempt)
            error = f"{type(exc).__name__}: {exc}"
            records.append(
                (
                    engine.clock.now(),
                    "application.failed",
                    {"application": app_id, "attempt": attempt, "error": error, "retry_in": delay},
                )
            )
            if isinstance(exc, ToolFailure):
                return InvokeOutcome(records, error=exc)
            tries = f"attempt {attempt} of {retries + 1}" if retries else "1 attempt"
            name = getattr(exc, "exception_name", None)
            failure = ToolFailure(
                f"{where}: application {app_id!r} raised {error} ({tries})",
                application_id=app_id,
                exception_name=name if isinstance(name, str) else type(exc).__name__,
                attempts=attempt,
            )
            return InvokeOutcome(records, error=failure, retry_in=delay)
        shown = audit_values(result, sensitive) if isinstance(result, Mapping) else _plain(result)
        records.append(
            (
                engine.clock.now(),
                "application.returned",
                {"application": app_id, "attempt": attempt, "outputs": shown},
            )
        )
        return InvokeOutcome(records, result=result)

    def __call__(self, nav: Navigator, job: Job, inst: ProcessInstance) -> None:
        """Run without :meth:`prepare` (a caller that has no separate phase): call, then apply,
        inside the command."""
        self.prepare(nav.engine, job)(nav, job, inst)


def _async_binding(engine: Engine, payload: Mapping[str, Any], where: str) -> Binding:
    """The binding an ``invoke`` job calls, looked up when it runs (a host may have rebound the
    application since the job was made); raises :class:`ToolFailure` when there is none."""
    app_id = payload["application_id"]
    registry = engine.applications
    application: Application | None = None
    if app_id not in registry:
        package = engine.deployed(payload["process_id"], payload["version"]).package
        process = package.process(payload["process_id"])
        found = {a.id: a for a in (*package.applications, *process.applications)}
        application = found.get(app_id)
    spec = ToolSpec(app_id, application, int(payload["position"]), ())
    return _binding(registry, spec, where)
