"""The records a command starts afresh (a new process instance, a new scope), made by a
function written for their class once, when this module is imported, not by the dataclass's
``__init__``.

Why: :class:`~wfengine.runtime.instance.ProcessInstance` has 34 fields, ten of them a new
dict or list each (``field(default_factory=...)``), and its ``__init__`` tests each of those
against its "not given" marker and calls the factory through a global look-up, and matches
every keyword given among its 34 parameters: 0.9 us of every start (a third of making the
instance and its data), and some 700 instructions of the 490,000 a manual workflow's instance
costs. The function made here takes only the fields a new record is given, by position, and
writes every other field's default as a constant or a ``{}``/``[]`` written out: 0.45 us.

Made from the class's own fields (:func:`dataclasses.fields`), so a field added to the class
is set here too, with its default; a field with neither a default nor a place among those
given cannot be, and importing this module fails saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, fields
from typing import Any

from wfengine.runtime.instance import ProcessInstance, Scope


def _maker(cls: type[Any], given: tuple[str, ...]) -> Callable[..., Any]:
    """A function making a ``cls`` from the fields ``given`` (by position, in that order),
    every other field at its default, as ``cls(*given)`` makes it."""
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    lines = [f"def make({', '.join(given)}):", "    made = _new(_cls)"]
    for f in fields(cls):
        if f.name in given:
            value = f.name
        elif f.default_factory is dict or f.default_factory is list:
            value = "{}" if f.default_factory is dict else "[]"  # (no call: a literal)
        elif f.default_factory is not MISSING:
            namespace[f"_made_{f.name}"] = f.default_factory
            value = f"_made_{f.name}()"
        elif f.default is not MISSING:
            namespace[f"_default_{f.name}"] = f.default
            value = f"_default_{f.name}"
        else:
            raise TypeError(f"{cls.__name__}.{f.name} has no default: give it to the maker")
        lines.append(f"    made.{f.name} = {value}")
    lines.append("    return made")
    exec("\n".join(lines), namespace)
    make: Callable[..., Any] = namespace["make"]
    make.__qualname__ = f"new_{cls.__name__}"
    return make


#: ``new_instance(id, process_id, version, compiled, state, data, created_at, nonce,
#: closing)``: a new :class:`~wfengine.runtime.instance.ProcessInstance`, as
#: ``ProcessInstance(...)`` with those fields makes it (``Lifecycle.new_instance``)
new_instance: Callable[..., ProcessInstance] = _maker(
    ProcessInstance,
    ("id", "process_id", "version", "compiled", "state", "data", "created_at", "nonce", "closing"),
)

#: ``new_scope(id, graph, instance, owner)``: a new :class:`~wfengine.runtime.instance.Scope`
#: (its four dicts written out: no factory called), as ``Scope(...)`` makes it
new_scope: Callable[..., Scope] = _maker(Scope, ("id", "graph", "instance", "owner"))
