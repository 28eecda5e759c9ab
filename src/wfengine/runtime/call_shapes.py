"""Whether a host's callable can be called the way wfengine will call it, told when it is
handed over (outbox handlers, notifiers) rather than at every delivery for eight hours.

Why both signatures: delivery calls what it was given, so a ``functools.wraps`` decorator that
supplies an argument itself (a session, dependency injection) or adapts the call (``(record)``
unpacking the payload) must be judged by its wrapper's own parameters; but a pass-through
wrapper (``*args``, a logging or metrics decorator) takes any call and says nothing, so behind
it alone the wrapped function's parameters are read too, and the call is refused when that
function takes fewer positional arguments than the call gives (a pass-through wrapper that drops
arguments itself would be refused wrongly: rare, and its own ``(record)`` signature is the cure).
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable

__all__ = ["unfit_signature"]

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def unfit_signature(
    func: Callable[..., object], args: tuple[object, ...]
) -> inspect.Signature | None:
    """The signature of ``func`` that cannot take ``args`` positionally; None when it can, or
    when Python cannot tell (some builtins: taken as they are)."""
    try:
        own = inspect.signature(func, follow_wrapped=False)
    except (TypeError, ValueError):
        return None
    try:
        own.bind(*args)
    except TypeError:
        return own
    level, signature = func, own
    # down a stack of decorators one at a time, while each passes any call through: the first
    # one whose own parameters say what it takes (an adapter's (record)) decides
    while _passes_through(signature) and hasattr(level, "__wrapped__"):
        level = _inner(level)
        try:
            signature = inspect.signature(level, follow_wrapped=False)
        except (TypeError, ValueError):
            return None
        if _fewer_positional(signature, len(args)):
            return signature
    return None


def _inner(level: Callable[..., object]) -> Callable[..., object]:
    """The callable ``level`` wraps, bound as ``level`` is (a decorated method's inner function
    takes its ``self`` from the same object)."""
    inner: Callable[..., object] = level.__wrapped__  # type: ignore[attr-defined]
    if inspect.ismethod(level) and not inspect.ismethod(inner):
        return types.MethodType(inner, level.__self__)
    return inner


def _fewer_positional(signature: inspect.Signature, given: int) -> bool:
    kinds = [p.kind for p in signature.parameters.values()]
    if inspect.Parameter.VAR_POSITIONAL in kinds:
        return False
    return sum(kind in _POSITIONAL for kind in kinds) < given


def _passes_through(signature: inspect.Signature) -> bool:
    """Does a wrapper with ``signature`` take any positional call (``*args``), saying nothing of
    what the function behind it takes?"""
    return any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in signature.parameters.values())
