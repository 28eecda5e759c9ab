"""What the builder accepts as arguments, and how each becomes part of the model.

The builder takes short forms (type names as strings in any case, ``(id, mode, type)`` tuples,
``{name: value}`` extended attributes) so everyday definitions read well; this module turns
each into its model class, and raises :class:`BuildError` naming the choices when an argument
cannot be one. ``standard_loop``, ``multi_instance`` and ``deadline`` are the constructors a
caller passes to activity methods.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import TypeVar

from wfengine.definition.model import (
    BasicTypeKind,
    DataType,
    Deadline,
    Execution,
    ExtendedAttribute,
    FormalParameter,
    MIFlowCondition,
    MIOrdering,
    MultiInstanceLoop,
    ParameterMode,
    StandardLoop,
    TestTime,
    ToolCall,
)
from wfengine.errors import DefinitionError


class BuildError(DefinitionError, ValueError):
    """The builder was used in a way that cannot give a well-formed definition.

    A :class:`~wfengine.errors.DefinitionError` like every other definition problem, and a
    ``ValueError`` because it is always a bad argument of the calling code.
    """


# --------------------------------------------------------------------------- argument types

#: a data type: basic type name, declared type id, or any model data type
TypeSpec = str | BasicTypeKind | DataType
#: a formal parameter: ``(id, mode, type)`` or the model itself
ParamSpec = tuple[str, str | ParameterMode, TypeSpec] | FormalParameter
#: extended attributes: ``{name: value}``, ``(name, value)`` pairs, or the models
ExtendedSpec = Mapping[str, str | None] | Iterable[tuple[str, str | None] | ExtendedAttribute]
#: a deadline: ``(duration, exception_name)``, ``(duration, exception_name, execution)``, or model
DeadlineSpec = tuple[str, str] | tuple[str, str, str | Execution] | Deadline
#: a tool call: application id with its actual parameters, or the model
ToolSpec = tuple[str, Sequence[str]] | ToolCall

_E = TypeVar("_E", bound=StrEnum)


def enum_value(cls: type[_E], value: str | _E, what: str) -> _E:
    """Accept an enum member or its value, case-insensitively, naming the choices when wrong."""
    if isinstance(value, cls):
        return value
    for member in cls:
        if member.value.lower() == str(value).lower() or member.name.lower() == str(value).lower():
            return member
    choices = ", ".join(m.value for m in cls)
    raise BuildError(f"unknown {what} {value!r}; expected one of: {choices}")


def extended_models(spec: ExtendedSpec | None) -> tuple[ExtendedAttribute, ...]:
    """Extended attributes from a mapping, pairs or models, in the order given."""
    if spec is None:
        return ()
    if isinstance(spec, Mapping):
        return tuple(ExtendedAttribute(name=k, value=v) for k, v in spec.items())
    out: list[ExtendedAttribute] = []
    for item in spec:
        if isinstance(item, ExtendedAttribute):
            out.append(item)
        else:
            name, value = item
            out.append(ExtendedAttribute(name=name, value=value))
    return tuple(out)


def strings(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """One string or several, so ``performer="clerk"`` and ``performer=["a", "b"]`` both work."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


# --------------------------------------------------------------------------- small constructors


def standard_loop(
    condition: str | None = None,
    *,
    test_time: str | TestTime = TestTime.AFTER,
    maximum: int | None = None,
    counter: str | None = None,
) -> StandardLoop:
    """A Standard loop: repeat the activity while ``condition`` holds, at most ``maximum`` times.

    ``test_time="Before"`` is a while-loop (may run zero times); the default ``"After"`` is a
    repeat-until that always runs once, as in XPDL. ``counter`` names an INTEGER data field
    the engine sets before each iteration to the iterations before it (0 first).
    """
    return StandardLoop(
        condition=condition,
        test_time=enum_value(TestTime, test_time, "loop test time"),
        maximum=maximum,
        counter=counter,
    )


def multi_instance(
    count: str | None = None,
    *,
    ordering: str | MIOrdering = MIOrdering.PARALLEL,
    flow: str | MIFlowCondition = MIFlowCondition.ALL,
    complex_flow_condition: str | None = None,
    counter: str | None = None,
) -> MultiInstanceLoop:
    """A MultiInstance loop: ``count`` (an expression) instances, in parallel by default.
    ``counter`` names an INTEGER data field each instance sets to its index (0 first)."""
    return MultiInstanceLoop(
        mi_condition=count,
        ordering=enum_value(MIOrdering, ordering, "multi-instance ordering"),
        flow_condition=enum_value(MIFlowCondition, flow, "multi-instance flow condition"),
        complex_flow_condition=complex_flow_condition,
        counter=counter,
    )


def deadline(
    duration: str, exception: str, *, execution: str | Execution = Execution.ASYNCHR
) -> Deadline:
    """A deadline raising ``exception`` after ``duration``; asynchronous unless told otherwise.

    Asynchronous is the default because that is what a reminder or escalation usually is: the
    activity carries on while the exception path runs.
    """
    return Deadline(
        duration=duration,
        exception_name=exception,
        execution=enum_value(Execution, execution, "deadline execution"),
    )


def deadline_of(spec: DeadlineSpec) -> Deadline:
    """A deadline from its tuple form (through :func:`deadline`'s defaults) or the model."""
    if isinstance(spec, Deadline):
        return spec
    if len(spec) == 2:
        return deadline(spec[0], spec[1])
    return deadline(spec[0], spec[1], execution=spec[2])


def tool_call(spec: ToolSpec) -> ToolCall:
    """A tool call from ``(application, args)`` or the model; a string as ``args`` is refused
    because it would silently become one parameter per character."""
    if isinstance(spec, ToolCall):
        return spec
    app, args = spec
    if isinstance(args, str):
        raise BuildError(f"actual parameters of tool {app!r} must be a list, not a string")
    return ToolCall(application_id=app, actual_parameters=tuple(args))


def check_unique(kind: str, ids: Iterable[str], where: str) -> None:
    """Refuse the first id that repeats: XPDL ids must be unique where the builder checks."""
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise BuildError(f"duplicate {kind} id {i!r} in {where}")
        seen.add(i)
