"""The check of a message or signal name a host passes to an engine command.

Why: a name that is not a non-empty string was taken as one and matched nothing:
``broadcast_signal(None)``, ``(5)`` or ``("")`` returned 0 as a signal nobody waited for,
``waits_for_message(iid, None)`` answered False, ``send_message(None, ...)`` said the process
catches no message None (as if a name were misspelt), and a list (``send_message(["go"])``)
was a bare "unhashable type: 'list'". A ``TypeError`` (another type) or ``ValueError`` (the
empty name) naming the command and the argument says what to change; a definition's events
have non-empty names, so nothing a host could reach is refused.
"""

from __future__ import annotations

from wfengine.runtime.host_arguments import described


def check_trigger_name(value: object, what: str, command: str, name: str = "name") -> str:
    """``value`` when it is a ``what`` name (``"message"``, ``"signal"``): a non-empty
    string; else a ``TypeError`` (another type, None included) or ``ValueError`` (``""``)
    naming ``command`` and its argument ``name``."""
    if isinstance(value, str):
        if value:
            return value
        raise ValueError(f"{command}: {name} must name a {what}, not ''")
    raise TypeError(f"{command}: {name} must be a {what} name (a string), not {described(value)}")
