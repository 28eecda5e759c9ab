"""Which language an XPDL script type names, and which of them this package evaluates.

A package's ``<Script Type="...">`` names the default language of its expressions; an
``Expression`` element may name its own with ``ScriptType`` or ``ScriptGrammar``. Tools write
many spellings (``text/javascript``, ``JavaScript``, ``java``, ``Text``, ``python``); this
module maps them onto the few :class:`Language` values the rest of the system reasons about:

* ``NATIVE``: wfengine's own Python-like language (also no script type at all);
* ``JAVASCRIPT`` and ``JAVA``: the expression subset of those languages that JaWE, Shark,
  Bonita and TIBCO write, read by the dialect front ends (see :mod:`.dialects`);
* ``TEXT``: not an expression but a label for people (``ScriptGrammar="Text"``);
* ``FOREIGN``: any other language; its texts are tried as native expressions, and one that
  does not parse fails only when an instance reaches it.
"""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    NATIVE = "native"
    JAVASCRIPT = "javascript"
    JAVA = "java"
    TEXT = "text"
    FOREIGN = "foreign"


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
JAVASCRIPT_SCRIPT_TYPES = frozenset(
    {
        "javascript",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "text/ecmascript",
        "application/ecmascript",
        "ecmascript",
        "js",
        "text/js",
    }
)
JAVA_SCRIPT_TYPES = frozenset(
    {
        "java",
        "text/java",
        "text/x-java",
        "text/x-java-source",
        "application/java",
        "beanshell",
        "text/beanshell",
        "bsh",
    }
)
TEXT_SCRIPT_TYPES = frozenset({"text", "text/plain", "free text", "freetext", "label"})

_BY_NAME: dict[str, Language] = {
    **dict.fromkeys(NATIVE_SCRIPT_TYPES, Language.NATIVE),
    **dict.fromkeys(JAVASCRIPT_SCRIPT_TYPES, Language.JAVASCRIPT),
    **dict.fromkeys(JAVA_SCRIPT_TYPES, Language.JAVA),
    **dict.fromkeys(TEXT_SCRIPT_TYPES, Language.TEXT),
}


def language_of(script_type: str | None) -> Language | None:
    """The language ``script_type`` names; None when it is missing or blank (no statement)."""
    if script_type is None:
        return None
    name = script_type.split(";", 1)[0].strip().lower()
    if not name:
        return None
    # ScriptGrammar is a URI: "http://.../JavaScript" names JavaScript as well as "JavaScript"
    last = name.rstrip("/").rsplit("/", 1)[-1] if "://" in name else name
    return _BY_NAME.get(name) or _BY_NAME.get(last) or Language.FOREIGN


def is_native_script(script_type: str | None) -> bool:
    """True if expressions of ``script_type`` are in this package's own language.

    No script type at all (``None`` or blank) means the default language, which is ours.
    """
    return language_of(script_type) in (None, Language.NATIVE)
