"""Script tasks: a ``TaskScript``'s script read as assignments in the safe expression language.

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
