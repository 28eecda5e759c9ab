"""The ``wfengine:*`` settings of an Application read whatever binds it, read one way for
validation, the runtime compiler and the application registry.

``wfengine:asynchronous`` makes every call of the application an ``invoke`` job. A yes/no
setting is ``true``/``false``, ``yes``/``no`` or ``1``/``0`` in any case (blank or absent:
no); anything else (``on``, ``y``) is refused, not read as no: the compiler read it as no and
called a code-bound application synchronously, silently, while the registry refused the same
text on an agent-bound one, so one attribute meant two things by what bound it. The compiler
refuses a process calling such an application; validation reports it first
(``application-setting``).

Validation reports more an application must not say (:func:`problems`): a formal parameter
named ``idempotency_key``, the keyword through which the engine hands a call its idempotency
key (the parameter's value replaced the key: the HTTP agent sent it as the
``Idempotency-Key`` header, so an idempotent server answered a second charge with the first
one's result); and, for an application an agent binds (``wfengine:agent``), a
``wfengine:retries`` that is not a whole number 0 or more (``2.5`` was read as 2 retries,
silently, while ``register(retries=1.5)`` is refused), a ``wfengine:timeout``,
``wfengine:backoff`` or ``wfengine:max-backoff`` that is not a number of seconds (0 or more;
a timeout above 0), or a max-backoff below the backoff: each failed every call of the
application, found only by an instance reaching it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from wfengine.definition.model import Application
from wfengine.one_line import shortened

#: the extended attribute that makes an Application's calls asynchronous
ASYNC_ATTRIBUTE = "wfengine:asynchronous"
#: the keyword through which a callable that names it receives the engine's idempotency key;
#: reserved: no formal parameter may be named so
IDEMPOTENCY_KEYWORD = "idempotency_key"
#: the extended attribute naming the agent kind that binds an Application
AGENT_ATTRIBUTE = "wfengine:agent"
#: how often an agent-bound Application's failed call is repeated
RETRIES_ATTRIBUTE = "wfengine:retries"

_YES = frozenset({"true", "yes", "1"})
_NO = frozenset({"false", "no", "0", ""})


def read_flag(text: str | None, name: str) -> bool:
    """A yes/no setting of a definition (None: absent, no); raises ``ValueError`` naming
    ``name`` for text that is neither."""
    if text is None:
        return False
    value = text.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(f"{name} must be true or false, not {shortened(text)!r}")


def asynchronous(application: Application) -> bool:
    """Whether ``application`` says ``wfengine:asynchronous`` ``true``; raises ``ValueError``
    naming the application when its value is neither true nor false."""
    try:
        return read_flag(application.extended_attribute(ASYNC_ATTRIBUTE), ASYNC_ATTRIBUTE)
    except ValueError as exc:
        raise ValueError(f"application {application.id!r}: {exc}") from None


def read_retries(text: str) -> int:
    """A definition's ``wfengine:retries``: a whole number, 0 or more (``3``, ``3.0``,
    ``1e1``); raises ``ValueError`` for anything else (``2.5``, ``-1``, ``nan``, ``many``)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or not value.is_integer():
        raise ValueError(f"retries must be a number 0 or more, and whole, not {shortened(text)!r}")
    return int(value)


#: the settings an agent-bound Application gives in seconds, and whether each must be above 0
SECONDS_SETTINGS = {"timeout": True, "backoff": False, "max-backoff": False}
#: the first wait between retries when ``wfengine:backoff`` is not given (seconds)
DEFAULT_BACKOFF = "0.5"


def read_seconds(text: str, name: str, *, positive: bool = False) -> float:
    """A definition's setting ``wfengine:NAME`` in seconds: finite, 0 or more (``positive``:
    above 0); raises ``ValueError`` naming the setting ("could not convert string to float:
    'abc'" named none)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        low = "above 0" if positive else "0 or more"
        raise ValueError(
            f"wfengine:{name} must be a number of seconds {low}, not {shortened(text)!r}"
        )
    return value


def check_backoffs(backoff: float, max_backoff: float | None) -> None:
    """Raise ``ValueError`` when ``wfengine:max-backoff`` is below the first wait."""
    if max_backoff is not None and max_backoff < backoff:
        raise ValueError(
            f"wfengine:max-backoff ({max_backoff:g} s) is below wfengine:backoff "
            f"({backoff:g} s), the first wait: every wait would be {max_backoff:g} s"
        )


def _seconds_problems(application: Application) -> Iterator[str]:
    """What an agent would refuse of ``application``'s settings in seconds."""
    read: dict[str, float] = {}
    for name, positive in SECONDS_SETTINGS.items():
        text = application.extended_attribute(f"wfengine:{name}")
        if text is None or (not text and name != "backoff"):
            continue
        try:
            read[name] = read_seconds(text, name, positive=positive)
        except ValueError as exc:
            yield f"application {application.id!r}: {exc}"
    try:
        check_backoffs(read.get("backoff", float(DEFAULT_BACKOFF)), read.get("max-backoff"))
    except ValueError as exc:
        yield f"application {application.id!r}: {exc}"


def reserved_parameter_text(application_id: str) -> str:
    """What is wrong with an application that has a formal parameter named
    :data:`IDEMPOTENCY_KEYWORD` (validation's finding, and the call's refusal)."""
    return (
        f"application {application_id!r}: formal parameter {IDEMPOTENCY_KEYWORD!r} is "
        "reserved for the engine's idempotency key (a callable naming that keyword, and the "
        "HTTP and subprocess agents, receive the key through it); rename the parameter"
    )


def problems(application: Application) -> Iterator[str]:
    """What the runtime would refuse or misread in ``application``'s settings and formal
    parameters, each as a text naming the application (``application-setting``)."""
    try:
        asynchronous(application)
    except ValueError as exc:
        yield str(exc)
    if any(p.id == IDEMPOTENCY_KEYWORD for p in application.formal_parameters):
        yield reserved_parameter_text(application.id)
    names = {ea.name for ea in application.extended_attributes}
    if AGENT_ATTRIBUTE in names and RETRIES_ATTRIBUTE in names:  # (only an agent reads it)
        try:
            read_retries(application.extended_attribute(RETRIES_ATTRIBUTE) or "")
        except ValueError as exc:
            yield f"application {application.id!r}: wfengine:{exc}"
    if AGENT_ATTRIBUTE in names:  # (a code binding sets its own: see ApplicationRegistry.check)
        yield from _seconds_problems(application)
