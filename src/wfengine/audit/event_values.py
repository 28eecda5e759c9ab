"""Where the trail's events carry values, derived from the audit catalogue's payload types.

A reader who may read only some fields of an instance sees its history with the values of the
others masked (:func:`wfengine.audit.status.detailed_status`). Which events hold values, and
under which keys of their stored detail, is read off the payload dataclasses of
:data:`wfengine.runtime.history.PAYLOADS` rather than listed by hand: a list missed the kinds
added after it (a delegate's ``work_item.returned``, an operator's ``incident.skipped``), and a
kind added to the catalogue later is masked as soon as it declares a mapping.

- an attribute typed as a mapping (``dict[...]``, optional or not) holds ``{field: value}``:
  the values of the fields named;
- an attribute typed ``Any`` holds an application's parameter values (by its parameters'
  names, which name no field: masked whole for a partial reader).

The key in the stored detail is the attribute's name, or ``""`` for a payload whose one
attribute is the mapping, stored as the detail itself (a script's assignments).
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import fields
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from wfengine.runtime.history import PAYLOADS


def _shape(annotation: Any) -> str | None:
    """``"fields"`` for a mapping (any kind: ``dict``, ``Mapping``, a ``TypedDict``, an
    ``OrderedDict``...: one read as none would be shown in clear), ``"parameters"`` for
    ``Any``, else None (a union: what any of its members holds, fields first)."""
    if get_origin(annotation) in (Union, types.UnionType):  # the first that holds values
        found = [_shape(a) for a in get_args(annotation) if a is not type(None)]
        return "fields" if "fields" in found else "parameters" if "parameters" in found else None
    if annotation is Any:
        return "parameters"
    kind = get_origin(annotation) or annotation
    if isinstance(kind, type) and issubclass(kind, Mapping):
        return "fields"
    return None


@cache
def value_keys() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """``(field values, parameter values)``: each a kind -> the keys of its stored detail
    holding them (``""``: the detail itself), for every kind of the catalogue that has any."""
    found: dict[str, dict[str, list[str]]] = {"fields": {}, "parameters": {}}
    for kind, payload in PAYLOADS.items():
        hints = get_type_hints(payload)
        attributes = fields(payload)  # type: ignore[arg-type]
        for attribute in attributes:
            shape = _shape(hints[attribute.name])
            if shape is not None:
                key = "" if len(attributes) == 1 else attribute.name
                found[shape].setdefault(str(kind), []).append(key)
    field_values, parameter_values = (
        {kind: tuple(keys) for kind, keys in found[shape].items()}
        for shape in ("fields", "parameters")
    )
    return field_values, parameter_values
