"""What the e-mail agent makes of the IN parameters a call gives it, before any message is built.

Apart from :mod:`.mail` so that the agent's module stays within its size limit. Each refusal
here is a :class:`~wfengine.errors.PermanentApplicationError` naming the parameter: the same
values fail the same way on every attempt, and they failed with a bare ``KeyError``,
``TypeError`` or "unexpected keyword argument", each retried as if the server were down.

A ``subject`` or ``body`` that is not text is written as text, in the forms the HTTP and
subprocess agents send such values in (they take any value a field holds): a number as
Python writes it (as the engine makes a number a STRING: ``42``, ``2.5``; a Decimal exactly as
it holds it, ``12.50``), a boolean ``true`` or ``false``, a date or time in ISO 8601
(``2026-12-07``, ``2026-12-07T09:30:00``) and a duration as an ISO 8601 duration (``PT1H30M``).
Why not refuse them: a number mailed as the body (an INTEGER field, "your total") has one
obvious text, and a definition would otherwise need a STRING field and a script to copy it.
A NaN or an infinity, which the HTTP and subprocess agents refuse too, and a value with no
one text (a list, a record, bytes) are refused, naming the parameter and the value's type but
never the value (a body may hold a secret, and the refusal is kept in the audit trail).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from wfengine.errors import PermanentApplicationError
from wfengine.json_text import iso_duration

#: the IN parameters the agent takes (an application's formal parameters), in the order named
TAKEN = ("to", "subject", "body", "cc")


def unknown_parameters(others: Mapping[str, Any]) -> PermanentApplicationError:
    """The error for a call given parameters the agent does not take (``others``), naming
    them and the ones it takes. Why: a parameter named ``recipient`` for ``to`` failed with
    Python's "unexpected keyword argument", retried, and the binding check could not say so."""
    names = ", ".join(repr(name) for name in sorted(others))
    return PermanentApplicationError(
        f"the e-mail agent takes the IN parameters to, subject, body and cc (cc and, for a "
        f"message to its cc only, to may be left out), not {names}: name the application's "
        "formal parameters so; nothing was sent"
    )


def taken_signature(func: Callable[..., Any]) -> inspect.Signature:
    """``func``'s signature without its ``**others``: what the agent takes, as the binding
    check (``application-signature``) and the registry read it. The call keeps ``**others``
    only to refuse them with :func:`unknown_parameters`."""
    signature = inspect.signature(func)
    kept = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
    return signature.replace(parameters=kept)


def given_addresses(name: str, value: object) -> str | list[str]:
    """The addresses of ``to`` or ``cc`` (``name``) as given: text, or a list (any iterable but
    a mapping) of texts; None (a STRING field with no value) and a list's None items (an ARRAY
    of STRING field's unset items) taken as no text. Anything else is refused naming the
    parameter: a number failed with a raw ``TypeError``, retried."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable) and not isinstance(value, bytes | bytearray | Mapping):
        items = [item for item in value if item is not None]
        wrong = next((item for item in items if not isinstance(item, str)), None)
        if wrong is None:
            return items
        raise PermanentApplicationError(
            f"{name}: an item of the list is {_kind(wrong)} ({wrong!r:.60}), not an e-mail "
            "address; give its items as text; nothing was sent"
        )
    raise PermanentApplicationError(
        f"{name}: {_kind(value)} ({value!r:.60}) is no e-mail address; give text (several "
        "addresses separated by ',' or ';') or a list of texts; nothing was sent"
    )


def given_text(name: str, value: object) -> str:
    """``subject`` or ``body`` (``name``) as the message's text (see the module doc): None is
    empty, text is itself, a number, boolean, date, time or duration its text; refused
    otherwise, naming the parameter and the value's type, not the value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return iso_duration(value)
    finite = not isinstance(value, float | Decimal) or (
        math.isfinite(value) if isinstance(value, float) else value.is_finite()
    )
    if isinstance(value, int | float | Decimal) and finite:
        try:  # (a subclass, an IntEnum member, writes its plain number)
            return str(value) if isinstance(value, Decimal) else repr(_plain(value))
        except ValueError:  # an integer longer than Python writes as text
            pass
    why = "a number with no value" if not finite else f"{_kind(value)}, which has no one text"
    raise PermanentApplicationError(
        f"{name}: the value given is {why}; give text, a number, a boolean, a date or a time "
        "(the value is not shown: it may be a secret); nothing was sent"
    )


def _plain(value: int | float) -> int | float:
    return float.__float__(value) if isinstance(value, float) else int.__int__(value)


def _kind(value: object) -> str:
    """``value``'s type as a message names it: ``an int``, ``a list``."""
    kind = type(value).__name__
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"
