"""Whether a host's callable can be called the way wfengine will call it, told when it is
handed over (outbox handlers, notifiers) rather than at every delivery for eight hours.

Why both signatures: delivery calls what it was given, so a ``functools.wraps`` decorator that
supplies an argument itself (a session, dependency injection) must be judged by its wrapper's
own parameters; but a pass-through wrapper (``*args, **kwargs``, a logging or metrics
decorator) takes any call, so behind it the wrapped function's parameters are read too, and a
call is refused only when that function takes fewer positional arguments than the call gives,
which no wrapper can make up for (it may add arguments, not drop them).
"""

from __future__ import annotations

import inspect
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
    if not hasattr(func, "__wrapped__"):  # (no decorator: its own signature is the whole story)
        return None
    try:
        wrapped = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    return wrapped if _fewer_positional(wrapped, len(args)) else None


def _fewer_positional(signature: inspect.Signature, given: int) -> bool:
    kinds = [p.kind for p in signature.parameters.values()]
    if inspect.Parameter.VAR_POSITIONAL in kinds:
        return False
    return sum(kind in _POSITIONAL for kind in kinds) < given
