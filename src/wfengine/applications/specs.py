"""What calling one application of an activity needs, decided once when a process is compiled.

A Tool activity's :class:`ToolSpec` lists, per formal parameter, its mode, the XPDL basic type
its values are checked against, whether it is sensitive (redacted in the audit trail), the
actual parameter's expression (IN, INOUT) and the data field an answer is written to (OUT,
INOUT). The runtime compiler builds them with the process, so a call looks nothing up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wfengine.applications.coercion import Checked, ListOf
from wfengine.applications.redaction import is_sensitive_field, sensitive_formals
from wfengine.definition.application_settings import asynchronous
from wfengine.definition.expression_words import names_in
from wfengine.definition.model import (
    Application,
    ArrayType,
    BasicType,
    DataField,
    DataType,
    DeclaredType,
    EnumerationType,
    ListType,
    ParameterMode,
)
from wfengine.errors import DeployError


@dataclass(frozen=True, slots=True)
class ParamSpec:
    formal: str
    mode: ParameterMode
    #: the XPDL basic type (or enumeration) values are checked against; None: not checked
    #: (schemas, records...)
    kind: Checked
    is_array: bool
    sensitive: bool
    #: IN/INOUT: the actual parameter's expression, as the runtime compiled it
    value: Any
    #: OUT/INOUT: the data field an answer is written to
    target: str | None


@dataclass(frozen=True, slots=True)
class ToolSpec:
    application_id: str
    #: None for an application of another package, bound by its id alone
    application: Application | None
    position: int
    params: tuple[ParamSpec, ...]
    #: OUT/INOUT parameters by formal id (computed once)
    outputs: Mapping[str, ParamSpec] = field(init=False, repr=False, compare=False)
    #: formal ids whose values the audit trail hides
    sensitive: frozenset[str] = field(init=False, repr=False, compare=False)
    #: the OUT (not INOUT) parameters' formal ids: an answer must give these
    required: tuple[str, ...] = field(init=False, repr=False, compare=False)
    #: the Application says ``wfengine:asynchronous`` ``true``: called as an ``invoke`` job
    #: whatever binds it (a binding registered with ``asynchronous=True`` is one too). Read
    #: as the registry reads it (:mod:`wfengine.definition.application_settings`): text
    #: that is neither true nor false is a :class:`~wfengine.errors.DeployError`, not a quiet
    #: synchronous call
    asynchronous: bool = field(init=False, repr=False, compare=False)
    #: ``/`` and ``position``: how an application call's idempotency key ends before the
    #: instance's stamp (see :func:`~wfengine.runtime.tools.run_tools`), made once, not an
    #: int formatted on every call
    key_tail: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key_tail", f"/{self.position}")
        try:
            said = asynchronous(self.application) if self.application else False
        except ValueError as exc:
            raise DeployError(str(exc)) from exc
        object.__setattr__(self, "asynchronous", said)
        outputs = {p.formal: p for p in self.params if p.target}
        object.__setattr__(self, "outputs", outputs)
        required = tuple(f for f, p in outputs.items() if p.mode is ParameterMode.OUT)
        object.__setattr__(self, "required", required)
        object.__setattr__(
            self, "sensitive", frozenset(p.formal for p in self.params if p.sensitive)
        )

    def secret_formals(self, fields: frozenset[str]) -> frozenset[str]:
        """The formal parameters that read one of ``fields`` or are written to one: an
        instance's fields as secret as those its process marks (a subflow's formal parameters
        given a caller's secret), which this spec, built with the process, does not know."""
        return frozenset(
            p.formal
            for p in self.params
            if p.target in fields
            or (p.value is not None and not fields.isdisjoint(getattr(p.value, "names", ())))
        )


def build_tool_spec(
    application_id: str,
    app: Application | None,
    position: int,
    params: Sequence[tuple[str, ParameterMode, Any, str | None, str]],
    fields: Mapping[str, DataField],
    types: Mapping[str, DataType],
    aliases: Mapping[str, str] | None = None,
) -> ToolSpec:
    """The spec of one tool call: ``params`` are ``(formal id, mode, compiled value
    expression or None, target field or None, the actual parameter's text)``; ``fields`` are
    keyed by Id, and ``aliases`` maps the Names an expression may use for them onto their Ids
    (a sensitive field is as sensitive named by its Name)."""
    aliases = aliases or {}
    formals = {fp.id: fp for fp in app.formal_parameters} if app else {}
    marked = sensitive_formals(app) if app else frozenset()
    specs: list[ParamSpec] = []
    for formal, mode, value, target, text in params:
        fp = formals.get(formal)
        kind, is_array = basic_kind(fp.data_type, types) if fp else (None, False)
        names = {target} if target else set()
        if value is not None:  # every field its expression names (``card + ""`` too)
            names.update(aliases.get(n, n) for n in names_in(text))
        sensitive = formal in marked or any(
            n in fields and is_sensitive_field(fields[n]) for n in names
        )
        specs.append(
            ParamSpec(
                formal=formal,
                mode=mode,
                kind=kind,
                is_array=is_array or bool(fp and fp.is_array),
                sensitive=sensitive,
                value=value,
                target=target,
            )
        )
    return ToolSpec(application_id, app, position, tuple(specs))


def basic_kind(
    data_type: DataType, types: Mapping[str, DataType], depth: int = 0
) -> tuple[Checked, bool]:
    """The basic type behind ``data_type`` (through declared types; an enumeration's values),
    and whether it is a list/array of it; (None, False) for types that are not checked
    (values are checked by it: :mod:`wfengine.applications.coercion`). An array of arrays
    is a list of :class:`~wfengine.applications.coercion.ListOf` its items' type: every
    level is checked (``[[1, 2], [3]]`` is an array of arrays of INTEGER, ``[1, 2]`` is not)."""
    if depth > 8:
        return None, False
    if isinstance(data_type, BasicType):
        return data_type.type, False
    if isinstance(data_type, EnumerationType):
        return (frozenset(data_type.values) or None), False
    if isinstance(data_type, DeclaredType):
        inner = types.get(data_type.id)
        return basic_kind(inner, types, depth + 1) if inner is not None else (None, False)
    if isinstance(data_type, ArrayType | ListType):
        kind, listed = basic_kind(data_type.element, types, depth + 1)
        if listed and kind is not None:  # an array of arrays: each item is a list, checked
            return ListOf(kind), True  # by its own element type, at every level
        return kind, True
    return None, False
