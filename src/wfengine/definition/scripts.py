"""Assignments: a ``TaskScript``'s script, and an activity's XPDL 2.x ``Assignments``.

Both are read here for validation and the runtime compiler alike, so they agree on which texts
are expressions. A script task's script is read as assignments in the safe expression language.

A script is one or more assignments ``name = expression``, separated by ``;`` or new lines
(a JavaScript-style ``var``/``let`` before the name and a trailing ``;`` are allowed, as
modelling tools write them). The statements run in order, each seeing what the ones before it
assigned, and the instance's data changes only when every one succeeded (a failing expression
is an incident and nothing is assigned). A script that is not made of such assignments (code
in a language the engine does not run) is left unsupported: reaching it is an incident, as
before, and its text is never executed.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from wfengine.definition.event_texts import element_text
from wfengine.definition.model import Activity

_TARGET = re.compile(r"\s*(?:(?:var|let|const)\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)(.*)\Z", re.S)
_OPEN, _CLOSE = "([{", ")]}"


def split_statements(text: str) -> list[str]:
    """``text`` cut at the ``;`` and new lines that are outside strings and brackets."""
    found: list[str] = []
    current: list[str] = []
    depth = 0
    quote: str | None = None
    escaped = False
    for ch in text:
        if quote is not None:
            current.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = None
            continue
        if ch in "\"'":
            quote = ch
        elif ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in ";\n" and depth == 0:
            found.append("".join(current))
            current = []
            continue
        current.append(ch)
    found.append("".join(current))
    return [s.strip() for s in found if s.strip()]


def parse_assignments(text: str) -> list[tuple[str, str]] | None:
    """The (field, expression text) of each statement of ``text``, or None when one of them
    is not an assignment (or there are none)."""
    found = []
    for statement in split_statements(text):
        match = _TARGET.match(statement)
        if match is None or not match.group(2).strip():
            return None
        found.append((match.group(1), match.group(2).strip()))
    return found or None


class Assignment(NamedTuple):
    """One of an activity's XPDL 2.x ``Assignments``: ``target = expression``, at its start or
    (``AssignTime="End"``) at its end."""

    target: str
    expression: str
    at_end: bool
    line: int | None


def activity_assignments(activity: Activity) -> list[Assignment]:
    """An activity's ``Assignments`` (kept among its extras), in order. The target is taken as
    written: one that is no field name (:meth:`str.isidentifier`) refuses the deploy, and
    validation reports it first."""
    found: list[Assignment] = []
    for node in activity.extras:
        if node.local_name != "Assignments":
            continue
        for assignment in (c for c in node.children if c.local_name == "Assignment"):
            parts = {c.local_name: c for c in assignment.children}
            target = element_text(parts["Target"]) if "Target" in parts else ""
            value = element_text(parts["Expression"]) if "Expression" in parts else ""
            at_end = dict(assignment.attrs).get("AssignTime", "Start") == "End"
            line = assignment.line if assignment.line is not None else node.line
            found.append(Assignment(target, value, at_end, line))
    return found
