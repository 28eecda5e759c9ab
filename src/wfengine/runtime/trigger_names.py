"""The check of a message or signal name a host passes to an engine command.

Why: a name that is not a non-empty string was taken as one and matched nothing:
``broadcast_signal(None)``, ``(5)`` or ``("")`` returned 0 as a signal nobody waited for,
``waits_for_message(iid, None)`` answered False, ``send_message(None, ...)`` said the process
catches no message None (as if a name were misspelt), and a list (``send_message(["go"])``)
was a bare "unhashable type: 'list'". A ``TypeError`` (another type) or ``ValueError`` (the
empty name) naming the command and the argument says what to change; a definition's events
have non-empty names, so nothing a host could reach is refused.

A name spelt otherwise than the definitions spell it, though it looks the same (``ä`` as an
``a`` and a separate combining mark, as macOS and some editors write it: decomposed, NFD),
matched nothing: ``send_message`` said the process "catches: Bestätigung", the very name
given, ``broadcast_signal`` returned 0 and ``start_by_message`` found no start event. A
command whose name matches nothing as spelt says so (:func:`respelt`) when its composed
(NFC) or decomposed (NFD) spelling is one the definitions use. Why refuse rather than
normalise both sides: definitions are not held to one spelling (an XPDL file with a
decomposed message name validates, deploys and runs when the host spells it the same), and
the names are stored (kept messages, the audit trail) as spelt; refusing changes nothing
that worked, and says what to write.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Literal

from wfengine.runtime.host_arguments import described

#: the spellings a name that matched nothing is tried in: Unicode form, and what it is called
_SPELLINGS: tuple[tuple[Literal["NFC", "NFD"], str], ...] = (
    ("NFC", "composed"),
    ("NFD", "decomposed"),
)


def check_trigger_name(value: object, what: str, command: str, name: str = "name") -> str:
    """``value`` when it is a ``what`` name (``"message"``, ``"signal"``): a non-empty
    string; else a ``TypeError`` (another type, None included) or ``ValueError`` (``""``)
    naming ``command`` and its argument ``name``."""
    if isinstance(value, str):
        if value:
            return value
        raise ValueError(f"{command}: {name} must name a {what}, not ''")
    raise TypeError(f"{command}: {name} must be a {what} name (a string), not {described(value)}")


def respelt(name: str, used: Callable[[str], bool]) -> str | None:
    """What to write instead of ``name``, a name that matched nothing as spelt, when its
    composed (NFC) or decomposed (NFD) spelling is one ``used`` says the definitions use
    (both shown escaped: they look the same); else None (``used`` is asked only of a
    spelling other than ``name``, so a plain ASCII name costs nothing)."""
    for form, how in _SPELLINGS:
        other = unicodedata.normalize(form, name)
        if other != name and used(other):
            return (
                f"it is spelt {name!a}, the definitions spell it {other!a}, which looks the "
                f"same: write it {how} (Unicode {form}), as they do"
            )
    return None
