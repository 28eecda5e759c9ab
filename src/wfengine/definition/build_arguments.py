"""What the builder accepts as arguments, and how each becomes part of the model.

The builder takes short forms (type names as strings in any case, ``(id, mode, type)`` tuples,
``{name: value}`` extended attributes) so everyday definitions read well; this module turns
each into its model class, and raises :class:`BuildError` naming the choices when an argument
cannot be one. ``standard_loop``, ``multi_instance`` and ``deadline`` are the constructors a
caller passes to activity methods.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ValidationError

from wfengine.definition.element_texts import element_value, list_item, prose
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
    XmlNode,
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

_E = typing.TypeVar("_E", bound=StrEnum)
_M = typing.TypeVar("_M")


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
        return tuple(_extended(k, v) for k, v in spec.items())
    if isinstance(spec, str) or not isinstance(spec, Iterable):
        raise BuildError(
            f"extended attributes are a mapping {{name: value}}, (name, value) pairs or "
            f"ExtendedAttribute models, not {spec!r}"
        )
    out: list[ExtendedAttribute] = []
    for item in spec:
        if isinstance(item, ExtendedAttribute):
            out.append(item)
        elif pair(item):
            out.append(_extended(item[0], item[1]))
        else:
            raise BuildError(
                f"an extended attribute is a (name, value) pair or an ExtendedAttribute, "
                f"not {item!r}"
            )
    return tuple(out)


def _extended(name: object, value: object) -> ExtendedAttribute:
    if not isinstance(name, str):
        raise BuildError(f"an extended attribute's name is text, not {name!r}")
    if value is not None and not isinstance(value, str):
        raise BuildError(
            f"extended attribute {name!r}: its value is text or None, not {value!r} "
            f"(write {str(value)!r})"
        )
    return ExtendedAttribute(name=name, value=value)


def extended_attribute_of(
    where: str, name: object, value: object, content: object
) -> ExtendedAttribute:
    """The extended attribute a package or process is given by ``extended_attribute()``,
    each argument of the wrong kind refused naming ``where`` and the attribute."""
    try:
        made = _extended(name, value)
        nodes = xml_nodes(content, f"extended attribute {made.name!r}: content=")
    except BuildError as exc:
        raise BuildError(f"{where}: {exc}") from None
    return ExtendedAttribute(name=made.name, value=made.value, content=nodes)


def xml_nodes(given: object, what: str) -> tuple[XmlNode, ...]:
    """A list of :class:`XmlNode` (``detail=``, ``content=``); one node given bare, a string
    or anything else is refused naming ``what``."""
    if isinstance(given, XmlNode | str) or not isinstance(given, Iterable):
        raise BuildError(f"{what} is a list of XmlNode, not {given!r}")
    nodes = tuple(given)
    if not all(isinstance(n, XmlNode) for n in nodes):
        raise BuildError(f"{what} is a list of XmlNode, not {given!r}")
    return nodes


def spec_list(given: object, what: str) -> tuple[Any, ...]:
    """The items of a list of specs (``deadlines=``, ``tools=``), each read by its own
    constructor; refused naming ``what`` (the keyword and the forms it takes) when it is no
    list: a number, None, a string, one spec given bare (a tuple or a model, whose fields a
    loop would take for specs)."""
    if isinstance(given, str | BaseModel) or one_spec(given) or not isinstance(given, Iterable):
        raise BuildError(f"{what}, not {given!r}")
    return tuple(given)


def pair(item: object, size: int = 2) -> bool:
    """Whether ``item`` is a tuple or list of ``size`` (a string is not)."""
    return isinstance(item, tuple | list) and len(item) == size


def text(value: object, what: str) -> str:
    """``value``, which must be text (an id, an expression): a number or None is refused
    naming ``what`` (``initial=5`` is meant as ``initial="5"``)."""
    if not isinstance(value, str):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        hint = f" (write {str(value)!r})" if number else ""
        raise BuildError(f"{what} is text, not {value!r}{hint}")
    return value


def maybe_text(value: object, what: str) -> str | None:
    """``value`` if text, None if left out; anything else refused as :func:`text` does."""
    return None if value is None else text(value, what)


def value_text(value: object, what: str) -> str | None:
    """An expression, name, number or date the model keeps as an element's text, as the
    XPDL reader reads it (:func:`~wfengine.definition.element_texts.element_value`): without
    the whitespace around it, None when blank (``initial=""`` declares no initial value, as
    an empty ``<InitialValue/>`` does); anything but text or None refused as :func:`text` does.
    """
    return element_value(maybe_text(value, what))


def prose_text(value: object, what: str) -> str | None:
    """A description, as the XPDL reader reads one (kept as written, None when empty)."""
    return prose(maybe_text(value, what))


def texts(values: object, what: str) -> tuple[str, ...]:
    """A list of texts (expressions, ids); a single string is refused, as it would become
    one item per character."""
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise BuildError(f"{what} are a list of texts, not {values!r}")
    return tuple(text(v, f"each of {what}") for v in values)


def actual_texts(values: object, what: str) -> tuple[str, ...]:
    """Actual parameters (:func:`texts`) as the XPDL reader reads them: each without the
    whitespace around it, a blank one kept as ``""`` in its place."""
    return tuple(list_item(v) for v in texts(values, what))


def performers_as_read(names: Iterable[str]) -> tuple[str, ...]:
    """Performers (an activity's, a lane's) as the XPDL reader reads ``Performers``: each
    without the whitespace around it, a blank one naming none (an empty ``<Performer/>``)."""
    found = (element_value(name) for name in names)
    return tuple(name for name in found if name is not None)


def strings(value: str | Sequence[str] | None, what: str = "it") -> tuple[str, ...]:
    """One string or several, so ``performer="clerk"`` and ``performer=["a", "b"]`` both work."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, Iterable):
        raise BuildError(f"{what} is a text or a list of texts, not {value!r}")
    return tuple(text(v, f"each of {what}") for v in value)


def model_error(exc: ValidationError) -> str:
    """What a model refused, for a person: the field, why, and what it was given."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        given = error.get("input")
        parts.append(f"{where}: {error['msg']} (given {given!r})")
    return "; ".join(parts)


_P = typing.ParamSpec("_P")
_R = typing.TypeVar("_R")


def reported(
    what: str, label: Callable[..., str] | None = None
) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """A builder method whose misuse is always a :class:`BuildError` naming ``what`` it was
    building (``activity 'a'``): a model's refusal (a ``ValidationError``) becomes one, and a
    :class:`BuildError` from an argument helper that does not name it yet is prefixed.
    ``label`` makes the name from the method's arguments (default: its first, the id)."""

    def decorate(method: Callable[_P, _R]) -> Callable[_P, _R]:
        @functools.wraps(method)
        def call(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            try:
                return method(*args, **kwargs)
            except ValidationError as exc:
                named = _named(label, args, kwargs)
                raise BuildError(f"{what} {named}: {model_error(exc)}") from None
            except BuildError as exc:
                named = _named(label, args, kwargs)
                if _names_already(str(exc), named):
                    raise
                raise BuildError(f"{what} {named}: {exc}") from None

        return call

    return decorate


def _names_already(message: str, named: str) -> bool:
    """Whether ``message`` opens by naming what was built (``event 'x': ...``,
    ``transition 'a' -> 'b': ...``): a few words, the name, a colon.

    Not a substring test: ``unknown parameter mode 'm'`` mentions ``'m'`` without being about
    process ``'m'``, and must still be prefixed."""
    return re.match(rf"(?:[\w-]+ )*{re.escape(named)}:", message) is not None


def _named(
    label: Callable[..., str] | None, args: tuple[object, ...], kwargs: Mapping[str, object]
) -> str:
    """How a message names what a builder method builds (``'a'``; args[0] is the builder)."""
    if label is not None:
        return label(*args[1:], **kwargs)
    return repr(args[1] if len(args) > 1 else kwargs.get("id", kwargs.get("name")))


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
    test = enum_value(TestTime, test_time, "loop test time")
    return _made(
        "standard_loop()",
        StandardLoop,
        condition=_as_read(condition),
        test_time=test,
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
    ``counter`` names an INTEGER data field each instance sets to its index (0 first).
    ``complex_flow_condition`` belongs to ``flow="Complex"``, the one flow that reads it."""
    flow = enum_value(MIFlowCondition, flow, "multi-instance flow condition")
    if complex_flow_condition is not None and flow is not MIFlowCondition.COMPLEX:
        raise BuildError(
            f"multi_instance(): complex_flow_condition= belongs to flow='Complex', "
            f"not flow={flow.value!r} (it would never be read)"
        )
    return _made(
        "multi_instance()",
        MultiInstanceLoop,
        mi_condition=_as_read(count),
        ordering=enum_value(MIOrdering, ordering, "multi-instance ordering"),
        flow_condition=flow,
        complex_flow_condition=_as_read(complex_flow_condition),
        counter=counter,
    )


def deadline(
    duration: str, exception: str, *, execution: str | Execution = Execution.ASYNCHR
) -> Deadline:
    """A deadline raising ``exception`` after ``duration``; asynchronous unless told otherwise.

    Asynchronous is the default because that is what a reminder or escalation usually is: the
    activity carries on while the exception path runs.
    """
    return _made(
        "deadline()",
        Deadline,
        duration=_as_read(duration),
        exception_name=_as_read(exception),
        execution=enum_value(Execution, execution, "deadline execution"),
    )


def _as_read(given: str | None) -> str | None:
    """A constructor's text as the XPDL reader reads it (:func:`value_text`); anything but
    text is left for the model to refuse, which :func:`_made` names."""
    return element_value(given) if isinstance(given, str) else given


def _made(what: str, model: Callable[..., _M], **fields: Any) -> _M:
    """``model(**fields)``; what it refuses is a :class:`BuildError` naming ``what``."""
    try:
        return model(**fields)
    except ValidationError as exc:
        raise BuildError(f"{what}: {model_error(exc)}") from None


def deadline_of(spec: DeadlineSpec) -> Deadline:
    """A deadline from its tuple form (through :func:`deadline`'s defaults) or the model."""
    if isinstance(spec, Deadline):
        return spec
    if not (pair(spec) or pair(spec, 3)):
        raise BuildError(
            "a deadline is (duration, exception), (duration, exception, execution), "
            f"deadline(...) or a Deadline, not {spec!r}"
        )
    duration = text(spec[0], "a deadline's duration")
    exception = text(spec[1], f"the exception of deadline {duration!r}")
    if len(spec) == 2:
        return deadline(duration, exception)
    return deadline(duration, exception, execution=spec[2])


def tool_call(spec: ToolSpec) -> ToolCall:
    """A tool call from ``(application, args)`` or the model; a string as ``args`` is refused
    because it would silently become one parameter per character."""
    if isinstance(spec, ToolCall):
        return spec
    if not pair(spec):
        raise BuildError(
            f"a tool call is (application, [actual parameters]) or a ToolCall, not {spec!r}"
        )
    app = text(spec[0], "a tool call's application")
    if isinstance(spec[1], str):
        raise BuildError(f"actual parameters of tool {app!r} must be a list, not a string")
    args = actual_texts(spec[1], f"the actual parameters of tool {app!r}")
    return ToolCall(application_id=app, actual_parameters=args)


def one_spec(given: object) -> bool:
    """A tuple starting with a string where a list of specs belongs: one spec given bare
    (``deadlines=("PT1H", "late")``, ``tools=("app", ["x"])``, ``params=("x", "IN", "INTEGER")``).
    """
    return isinstance(given, tuple) and bool(given) and isinstance(given[0], str)


def check_unique(kind: str, ids: Iterable[str], where: str) -> None:
    """Refuse the first id that repeats: XPDL ids must be unique where the builder checks."""
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise BuildError(f"duplicate {kind} id {i!r} in {where}")
        seen.add(i)
