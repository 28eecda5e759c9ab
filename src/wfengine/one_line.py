"""Text from outside shown on one line of a plain-text output, its control characters
escaped.

A plain-text listing (the ``audit`` table, ``validate``'s ``file:line: severity code:``
findings) is read line by line, by people and by scripts. A value that comes from a
definition or a user (an element Id written with ``&#10;``, a user id given on the command
line) may hold a line break: written raw, it starts a line of the writer's choosing, which
reads as a genuine row or finding. Its terminal escapes (ESC) could rewrite what is on the
screen, and bidirectional overrides reorder what is shown. So such characters are written
as Python escapes (``\\n``, ``\\x1b``, ``\\u2028``); everything else, backslashes
included, is shown as it is.
"""

from __future__ import annotations

import re

#: C0 and C1 controls (line feed, carriage return, tab, ESC, NEL, ...), DEL, the Unicode
#: line and paragraph separators, and the bidirectional embeddings, overrides and isolates
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """``text`` with each control character, line separator and bidirectional control
    written as its Python escape (see the module notes); unchanged when it has none."""
    return _UNSHOWN.sub(_escape, text)


def shortened(text: str, keep: int = 10) -> str:
    """``text`` as a message quotes a value it refuses: whole when at most ``2 * keep``
    characters, else its first ``keep`` and its length (``9999999999...(5000 characters)``).
    Why: a refused value may be megabytes long (a definition's attribute, a script's step),
    and a message that echoed it whole buried what it said under it."""
    return text if len(text) <= 2 * keep else f"{text[:keep]}...({len(text)} characters)"
