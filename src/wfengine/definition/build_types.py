"""Data types named by the builder's callers, resolved against the package's declarations.

A field may name a type declared later in the package (``data_field("x", "Money")`` before
``type_declaration("Money", ...)``), so fields and parameters are kept pending with their
type spec until :meth:`PackageBuilder.build` knows every declaration.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import get_args

from wfengine.definition.build_arguments import (
    BuildError,
    ExtendedSpec,
    ParamSpec,
    TypeSpec,
    enum_value,
    extended_models,
    one_spec,
)
from wfengine.definition.build_events import flag
from wfengine.definition.model import (
    BasicType,
    BasicTypeKind,
    DataField,
    DataType,
    DeclaredType,
    FormalParameter,
    ParameterMode,
)


@dataclass(frozen=True)
class TypeRef:
    """A data type named by string, resolved at build time against the type declarations.

    Resolution is deferred so declarations may come after the fields that use them, and
    because a name may be both: ``"Performer"`` is the basic type PERFORMER (names of basic
    types are taken in any case) unless the package declares a type with exactly that id.
    """

    name: str
    #: the basic type the name spells in some case, if any
    basic: BasicTypeKind | None = None


PendingType = DataType | TypeRef
#: the model's data types: the members of its ``DataType`` union
_MODEL_TYPES: tuple[type, ...] = get_args(get_args(DataType)[0])


def type_of(spec: TypeSpec) -> PendingType:
    """A basic type member or a model type as given; a name, resolved at build time."""
    if isinstance(spec, BasicTypeKind):
        return BasicType(type=spec)
    if isinstance(spec, str):
        for kind in BasicTypeKind:
            if kind.value == spec.upper():
                return TypeRef(spec, kind)
        return TypeRef(spec)
    if not isinstance(spec, _MODEL_TYPES):  # (None, 5: the frozen model would hold it as is)
        raise BuildError(
            f"a data type is a basic type's name, a declared type's name or a model type, "
            f"not {spec!r}"
        )
    return spec


def resolve_type(t: PendingType, declared: Iterable[str], *, loose: bool = False) -> DataType:
    """The model type: a declaration with exactly the name, else the basic type it spells
    in any case; any other name is a :class:`BuildError` (or, ``loose``, a reference to a
    declaration left for validation to judge, as a type declaration's own type was always).

    Why the exact declared id first: a package that declares ``Performer`` means its own
    type by it, and the basic type stays reachable as ``"PERFORMER"``."""
    if not isinstance(t, TypeRef):
        return t
    known = set(declared)
    if t.name in known:
        return DeclaredType(id=t.name)
    if t.basic is not None:
        return BasicType(type=t.basic)
    if loose:
        return DeclaredType(id=t.name)
    basics = [k.value for k in BasicTypeKind]
    decls = ", ".join(sorted(known)) or "none"
    near = difflib.get_close_matches(t.name, sorted(known), n=1) or difflib.get_close_matches(
        t.name.upper(), basics, n=1
    )
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    raise BuildError(
        f"unknown data type {t.name!r}{hint}: not a basic type ({', '.join(basics)}) "
        f"and not a type declaration of the package (declared: {decls})"
    )


@dataclass
class PendingField:
    """A data field or formal parameter waiting for its type to be resolved."""

    model: DataField | FormalParameter
    type: PendingType | None = None
    #: where it is declared (``process 'p'``, ``application 'a' of package 'k'``), told by
    #: the builder before resolving: a misspelt type name is found only then, far from the
    #: call that named it, so the error must say which field or parameter it was
    scope: str = ""

    def resolve(self, declared: Iterable[str]) -> DataField | FormalParameter:
        if self.type is None:
            return self.model
        try:
            data_type = resolve_type(self.type, declared)
        except BuildError as exc:
            kind = "formal parameter" if isinstance(self.model, FormalParameter) else "data field"
            where = f" of {self.scope}" if self.scope else ""
            raise BuildError(f"{kind} {self.model.id!r}{where}: {exc}") from None
        return self.model.model_copy(update={"data_type": data_type})


_PLACEHOLDER = BasicType(type=BasicTypeKind.STRING)


def pending_param(spec: ParamSpec) -> PendingField:
    """A formal parameter from ``(id, mode, type)`` or the model, its type still unresolved."""
    if isinstance(spec, FormalParameter):
        return PendingField(spec)
    if isinstance(spec, str):  # it would unpack as three characters
        raise BuildError(
            f"a formal parameter is (id, mode, type) or a FormalParameter, got {spec!r}"
        )
    try:
        pid, mode, type_ = spec
    except ValueError:
        raise BuildError(
            f"a formal parameter is (id, mode, type) or a FormalParameter, got {spec!r}"
        ) from None
    model = FormalParameter(
        id=pid, mode=enum_value(ParameterMode, mode, "parameter mode"), data_type=_PLACEHOLDER
    )
    return PendingField(model, type_of(type_))


def pending_params(specs: object) -> list[PendingField]:
    """Formal parameters from ``params=``: a list of ``(id, mode, type)`` or models.

    One tuple given bare (``params=("amt", "IN", "FLOAT")``) is refused rather than read as
    parameters named by the characters of its strings."""
    if isinstance(specs, str | FormalParameter) or not isinstance(specs, Iterable):
        raise BuildError(
            f"params= is a list of formal parameters ((id, mode, type) or FormalParameter), "
            f"not {specs!r}"
        )
    if one_spec(specs):
        raise BuildError(
            f"params= is a list of formal parameters, not one bare tuple {specs!r} "
            f"(write [{specs!r}])"
        )
    return [pending_param(p) for p in specs]


def pending_data_field(
    id: str,
    type: TypeSpec,
    *,
    initial: str | None,
    name: str | None,
    description: str | None,
    is_array: bool,
    read_only: bool,
    extended: ExtendedSpec | None,
) -> PendingField:
    """A data field, its type still unresolved."""
    flag(is_array, "is_array=")
    flag(read_only, "read_only=")
    model = DataField(
        id=id,
        name=name,
        data_type=_PLACEHOLDER,
        initial_value=initial,
        description=description,
        is_array=is_array,
        read_only=read_only,
        extended_attributes=extended_models(extended),
    )
    return PendingField(model, type_of(type))
