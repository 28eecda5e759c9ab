"""String literals of the Java and JavaScript dialects, read by those languages' escapes.

The lexer hands the text on to Python's parser, which read a string literal by Python's
escapes: JavaScript's ``'https:\\/\\/x.org'`` kept its backslashes (JavaScript reads ``\\/``
as ``/``, so ``url.startsWith('https:\\/\\/')`` never held), ``'\\d'`` was two characters and
``'\\a'`` a bell where JavaScript reads ``d`` and ``a``, ``'\\N{BULLET}'`` and
``'\\U0001F600'`` were escapes no C-like language has, and Python's prefixes (``r''``,
``u''``, ``b''``, ``f''``) were read as Python's. :func:`python_literal` reads the literal by
the language's own table and gives the Python literal of the text it stands for:

* JavaScript: ``\\b \\f \\n \\r \\t \\v``, ``\\0``, the legacy octal escapes (``\\101`` is
  ``A``, as the non-strict engines tools run read it), ``\\xHH``, ``\\uHHHH``, ``\\u{H...}``,
  a line continuation (a backslash before a line break is nothing), and any other character
  after a backslash is itself (``\\/`` is ``/``); a malformed ``\\x`` or ``\\u`` is a syntax
  error, as there;
* Java: ``\\b \\t \\n \\f \\r \\s``, ``\\" \\' \\\\``, octal (``\\0`` to ``\\377``) and
  ``\\uHHHH``; any other escape does not compile there and is a syntax error naming it.

A surrogate pair written as two ``\\u`` escapes (``\\uD83D\\uDE00``) is the one character it
encodes. A deployment an earlier wfengine stored is read as it was then where the reading
would now refuse it (an escape Java refuses, a Python prefix): its instances keep running
(:func:`~.stored_reading.reading_stored` tells a stored deployment's compiling). A literal it
read otherwise (JavaScript's ``'\\/'``, Java's ``"\\s"``) is read as the language reads it,
and noted (:mod:`.stored_reading`), so the compiler warns that a condition may turn.
"""

from __future__ import annotations

import ast
import re
import warnings

import wfengine.expressions.stored_reading as stored_reading
from wfengine.errors import ExpressionSyntaxError

_JAVASCRIPT_SINGLE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_JAVA_SINGLE = {
    **{"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "s": " "},
    **{'"': '"', "'": "'", "\\": "\\"},
}
#: an escape after its backslash: the character, and what a multi-character escape needs
_ESCAPE = re.compile(
    r"""\\(?:
        (?P<octal>[0-3][0-7]{0,2}|[4-7][0-7]?)
      | x(?P<hex>[0-9A-Fa-f]{2})
      | u+(?P<u4>[0-9A-Fa-f]{4})
      | u\{(?P<ucode>[0-9A-Fa-f]+)\}
      | (?P<other>\r\n|[\s\S])
    )""",
    re.VERBOSE,
)
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def python_literal(token: str, source: str, offset: int, java: bool) -> str:
    """The Python literal of the string literal ``token`` (quotes included) written at
    ``offset`` of ``source`` in Java (``java``) or JavaScript; raises
    :class:`ExpressionSyntaxError` for what the language refuses."""
    language = "Java" if java else "JavaScript"
    quote = token.lstrip("rRuUbBfF")
    if quote != token:
        prefix = token[: len(token) - len(quote)]
        return _refused(token, _prefix_problem(prefix, language), source, offset)
    q = 3 if quote[:3] in ("'''", '"""') else 1
    body = quote[q:-q]
    try:
        text = _decoded(body, java)
    except _BadEscape as exc:
        return _refused(token, str(exc), source, offset + q + exc.position)
    text = _SURROGATE_PAIR.sub(
        lambda m: m.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), text
    )
    if stored_reading.reading_stored():
        _note_changed(token, text, source, language)
    return repr(text)


def _note_changed(token: str, text: str, source: str, language: str) -> None:
    """Note a stored deployment's literal that an earlier wfengine read otherwise (by
    Python's escapes): a condition on it may now take another way in running instances."""
    with warnings.catch_warnings():  # (Python warns of an escape it keeps: '\\d')
        warnings.simplefilter("ignore")
        try:
            earlier = ast.literal_eval(token)
        except (SyntaxError, ValueError):
            earlier = None
    if earlier == text:
        return
    then = "refused" if earlier is None else f"read {earlier!r}"
    stored_reading.note(
        f"the literal {token} in {source!r} now reads as {language} reads it, {text!r} (the "
        f"wfengine that deployed it {then}): a condition on it may take another way than "
        "it did"
    )


def _prefix_problem(prefix: str, language: str) -> str:
    """What to say of a Python string prefix written in Java or JavaScript."""
    kind = prefix.lower()
    if "f" in kind:
        what, todo = "f-strings are not supported", "join the parts with '+'"
    elif "b" in kind:
        what, todo = "bytes literals not supported", "write the string without the b"
    else:
        what, todo = "Python's raw and unicode strings are not read", "drop the prefix"
        todo += " (and write a backslash as \\\\)" if "r" in kind else ""
    return (
        f"{what}: {prefix}'...' is Python's string prefix, which {language} does not have; " + todo
    )


def _refused(token: str, message: str, source: str, offset: int) -> str:
    """``token`` read by Python's rules as before, while a stored deployment is compiled
    (noted: a new version of it deploys, validation warning expression-foreign, and stops
    each instance with an incident there); else the syntax error ``message``."""
    if stored_reading.reading_stored():
        stored_reading.note(
            f"the literal {token} in {source!r} is read by Python's rules, as the wfengine "
            "that deployed it read it; a new version stops with an incident there "
            f"(validation: expression-foreign): {message}"
        )
        return token
    raise ExpressionSyntaxError(message, source=source, offset=offset)


class _BadEscape(ValueError):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


def _decoded(body: str, java: bool) -> str:
    parts: list[str] = []
    pos = 0
    while True:
        backslash = body.find("\\", pos)
        if backslash < 0:
            parts.append(body[pos:])
            return "".join(parts)
        parts.append(body[pos:backslash])
        m = _ESCAPE.match(body, backslash)
        if m is None:  # (a backslash ends no literal: the lexer saw to that)
            raise _BadEscape("a backslash at the end", backslash)
        parts.append(_escape(m, java))
        pos = m.end()


def _escape(m: re.Match[str], java: bool) -> str:
    """The character (or nothing) the escape ``m`` stands for."""
    group = m.groupdict()
    if group["octal"] is not None:
        return chr(int(group["octal"], 8))
    if group["u4"] is not None and (java or not m.group().startswith("\\uu")):
        return chr(int(group["u4"], 16))  # (Java takes \\uu0041 too)
    if group["hex"] is not None and not java:
        return chr(int(group["hex"], 16))
    if group["ucode"] is not None and not java:
        code = int(group["ucode"], 16)
        if code > 0x10FFFF:
            raise _BadEscape(f"'\\u{{{group['ucode']}}}' is beyond U+10FFFF", m.start())
        return chr(code)
    char = group["other"] if group["other"] is not None else m.group()[1]
    table = _JAVA_SINGLE if java else _JAVASCRIPT_SINGLE
    if char in table:
        return table[char]
    if java and char in _LINE_BREAKS:
        raise _BadEscape(
            "a backslash before a line break does not continue a Java string; join the "
            "lines with '+'",
            m.start(),
        )
    if java:
        shown = char if char.isprintable() else repr(char)[1:-1]
        raise _BadEscape(
            f"'\\{shown}' is no escape in Java (it does not compile there); write "
            f"'\\\\{shown}' for a backslash and {shown!r}",
            m.start(),
        )
    if char in "xu":
        needs = "two hex digits" if char == "x" else "four hex digits or {hex digits}"
        raise _BadEscape(f"'\\{char}' takes {needs} (JavaScript refuses it)", m.start())
    return "" if char in _LINE_BREAKS else char  # a line continuation; '\\/' is '/'


#: what a backslash before it continues the line in JavaScript
_LINE_BREAKS = frozenset({"\n", "\r", "\r\n", "\u2028", "\u2029"})
