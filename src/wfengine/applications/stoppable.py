"""Agents that stop their own work at a timeout, and how a binding's timeout reaches them.

A Python thread cannot be killed: a synchronous application that the caller stops waiting for
at its binding's timeout goes on running (:mod:`wfengine.applications.calling`). For most
callables nothing better is possible, but an agent that starts the work itself can stop it:
the subprocess agent kills its program, the HTTP and e-mail agents close their connection.
Without this, a program the subprocess agent started finished its side effect after the call
had been recorded as failed (an incident), and each retry started another copy.

Such an agent is marked with :func:`stops_itself`, giving a way to rebuild it for a shorter
time. :func:`bounded` turns it into the callable a binding with a timeout calls: the same work,
stopped by the agent itself within the smaller of its own timeout and the binding's, so the
caller can wait for it to stop (a short grace, for an agent that fails to) instead of
abandoning it while it still runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: rebuilds an agent so that it stops its own work within the given number of seconds
Rebuild = Callable[[float], Callable[..., Any]]

#: the attribute (in the callable's ``__dict__``) holding its :data:`Rebuild`
_HOOK = "wfengine_stops_itself"


def stops_itself(func: Callable[..., Any], rebuild: Rebuild) -> Callable[..., Any]:
    """``func`` marked as an agent that stops its own work at its timeout; ``rebuild(seconds)``
    gives the same agent stopping within ``min(its own timeout, seconds)`` (marked too)."""
    setattr(func, _HOOK, rebuild)
    return func


def bounded(func: Callable[..., Any], timeout: float) -> Callable[..., Any] | None:
    """The callable doing ``func``'s work that stops it itself within ``timeout`` seconds, or
    None when ``func`` is no agent that can (the caller can only abandon it at the timeout).

    Looked up in the callable's own ``__dict__``, so a mock or an object answering every
    attribute is not taken for such an agent.
    """
    rebuild = getattr(func, "__dict__", {}).get(_HOOK)
    return rebuild(timeout) if callable(rebuild) else None
