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

Free text the engine wrote about a failure (an incident's ``message``, an application's
``error``, a deadline's or a discarded answer's ``reason``, an exception's ``message``) can
quote a field's value ("expected INTEGER, got str '98000 EUR gross'") and cannot be masked
field by field: :func:`text_keys` names the attributes that hold such text, read off the
catalogue by their names, for a partial reader to have them withheld whole. Two ``reason``
attributes are not the engine quoting data and stay shown: the one a user gave when sending
work back (written for those who do it next, as a comment is) and the access rule's reason
for a refusal (it names users and rules, never a value).
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import fields
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from wfengine.runtime.history import PAYLOADS

#: the names of the attributes holding free text about a failure (see the module notes)
TEXT_NAMES = frozenset({"message", "error", "reason"})
#: the text attributes that are not the engine's words about data: kind -> attribute
SAID_BY_PEOPLE = {"work_item.sent_back": "reason", "operation.refused": "reason"}


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


@cache
def text_keys() -> dict[str, tuple[str, ...]]:
    """Each kind of the catalogue -> its payload's attributes holding free text that can
    quote a value (a ``str`` attribute named in :data:`TEXT_NAMES`, but those in
    :data:`SAID_BY_PEOPLE`): attribute names, not stored keys (the payload's own ``of`` and
    ``detail`` read and write its stored shape)."""
    found: dict[str, tuple[str, ...]] = {}
    for kind, payload in PAYLOADS.items():
        hints = get_type_hints(payload)
        names = tuple(
            attribute.name
            for attribute in fields(payload)  # type: ignore[arg-type]
            if attribute.name in TEXT_NAMES
            and hints[attribute.name] is str
            and SAID_BY_PEOPLE.get(str(kind)) != attribute.name
        )
        if names:
            found[str(kind)] = names
    return found
