"""Assignments: a ``TaskScript``'s script, and an activity's XPDL 2.x ``Assignments``.

Both are read here for validation and the runtime compiler alike, so they agree on which texts
are expressions. A script task's script is read as assignments in the safe expression language.

A script is one or more assignments ``name = expression`` (a name in any script, ``größe``),
separated by ``;`` or new lines (a JavaScript-style ``var``/``let`` before the name and a
trailing ``;`` are allowed, as modelling tools write them), with comments as the package's
language writes them (``//`` and ``/* */`` in Java and JavaScript, ``#`` in the native
language): a comment is never run. The statements run in order, each seeing what the ones
before it assigned, and the instance's data changes only when every one succeeded (a failing
expression is an incident and nothing is assigned). A script that is not made of such
assignments (code in a language the engine does not run) is left unsupported: reaching it is
an incident, as before, and its text is never executed.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from wfengine.definition.checks.readings import quote
from wfengine.definition.event_texts import element_text
from wfengine.definition.model import Activity
from wfengine.definition.reading import is_identifier
from wfengine.expressions import Language
from wfengine.expressions.lexer import name_problem

#: ``name = expression``; the name is any run up to a space or ``=`` (``größe``, ``名前``),
#: taken as a target only when :func:`~wfengine.definition.reading.is_identifier` (it was
#: ASCII only, so a script assigning ``größe`` was never run, though expressions read it)
_TARGET = re.compile(r"\s*(?:(?:var|let|const)\s+)?([^\s=]+)\s*=(?!=)(.*)\Z", re.S)
_OPEN, _CLOSE = "([{", ")]}"


#: how each language marks a comment: to the end of the line, and (Java, JavaScript) between
#: ``/*`` and ``*/``; the same marks its expressions' lexer skips. Text (a label) has none.
_LINE_COMMENT = {
    Language.NATIVE: "#",
    Language.FOREIGN: "#",  # (read as native expressions)
    Language.JAVASCRIPT: "//",
    Language.JAVA: "//",
}
_BLOCK_COMMENT = frozenset({Language.JAVASCRIPT, Language.JAVA})


def split_statements(text: str, language: Language | None = None) -> list[str]:
    """``text`` cut at the ``;`` and new lines that are outside strings, brackets and the
    comments of ``language``, with those comments left out: a ``;`` in a comment separates
    nothing (``x = 1 // was: x = 0; ok = true`` is one assignment), and a statement that is
    only a comment is none. A block comment spanning lines ends a statement as a new line
    would (as JavaScript reads it); one left open is kept as written, so the expression's
    reader reports it (an unterminated comment). ``language`` None: no comments (the reading
    before languages were told apart)."""
    line_mark = _LINE_COMMENT.get(language) if language is not None else None
    block = language in _BLOCK_COMMENT
    # the native language is Python's: ''' and """ open strings of their own,
    # which an apostrophe inside does not close (a '#' after it is no comment)
    triple = language is None or language is Language.NATIVE
    found: list[str] = []
    current: list[str] = []
    depth = 0
    quote: str | None = None
    escaped = False
    i, size = 0, len(text)
    while i < size:
        ch = text[i]
        i += 1
        if quote is not None:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif text.startswith(quote, i - 1):
                current.append(quote)
                i += len(quote) - 1
                quote = None
                continue
            current.append(ch)
            continue
        if line_mark is not None and text.startswith(line_mark, i - 1):
            end = text.find("\n", i)
            i = size if end < 0 else end  # the new line itself still ends the statement
            continue
        if block and text.startswith("/*", i - 1):
            end = text.find("*/", i + 1)
            if end < 0:  # unterminated: kept for the reader to refuse
                current.append(text[i - 1 :])
                break
            ch = "\n" if "\n" in text[i + 1 : end] else " "
            i = end + 2
        if ch in "\"'":
            quote = ch * 3 if triple and text.startswith(ch * 3, i - 1) else ch
            current.append(quote)
            i += len(quote) - 1
            continue
        if ch in _OPEN:
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


def parse_assignments(text: str, language: Language | None = None) -> list[tuple[str, str]] | None:
    """The (field, expression text) of each statement of ``text`` (its comments in
    ``language`` left out: :func:`split_statements`), or None when one of them is not an
    assignment (or the text is blank). A script that is only comments is no statements ([]):
    it assigns nothing, as its language would run it."""
    statements = split_statements(text, language)
    if not statements:
        return [] if text.strip() else None
    found = []
    for statement in statements:
        match = _TARGET.match(statement)
        if match is None or not is_identifier(match.group(1)) or not match.group(2).strip():
            return None
        found.append((match.group(1), match.group(2).strip()))
    return found


def unsupported_reason(text: str, language: Language | None = None) -> str | None:
    """Why the engine never runs a script, quoting its first statement that is no assignment
    (the whole text when none is one), for the ``script-unsupported`` finding and the
    incident of an instance reaching it alike; None when the script is assignments."""
    if parse_assignments(text, language) is not None:
        return None
    statements = split_statements(text, language)
    bad = next((s for s in statements if parse_assignments(s) is None), text.strip())
    target = _TARGET.match(bad)
    # a target spelt as expressions would read as another name (a decomposed ``café``)
    problem = name_problem(target.group(1)) if target is not None else None
    why = f": {problem}" if problem is not None else ""
    return f"is not made of assignments 'name = expression' ({quote(bad)} is not one{why})"


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
