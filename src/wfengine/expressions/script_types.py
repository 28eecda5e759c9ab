"""Which XPDL script types this package evaluates natively.

A package's ``<Script Type="...">`` names the language of all its expressions. Definitions
written for other engines (``text/javascript``, ``java``, ...) must not be run through our
evaluator by accident: what parses in both languages may not mean the same. The validator
uses this to warn and the engine to refuse.
"""

from __future__ import annotations

#: MIME-style names, compared case-insensitively and without parameters (``; version=1``)
NATIVE_SCRIPT_TYPES = frozenset(
    {
        "text/x-wfengine",
        "application/x-wfengine",
        "wfengine",
        "python",
        "text/python",
        "text/x-python",
        "application/python",
        "application/x-python",
    }
)


def is_native_script(script_type: str | None) -> bool:
    """True if expressions of ``script_type`` are in this package's language.

    No script type at all (``None`` or blank) means the default language, which is ours.
    """
    if script_type is None:
        return True
    name = script_type.split(";", 1)[0].strip().lower()
    return name == "" or name in NATIVE_SCRIPT_TYPES
