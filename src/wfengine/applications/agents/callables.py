"""The Python-callable agent: a plain function or an ``async def`` coroutine function.

The invocation layer already calls both kinds (a coroutine function runs in its own event loop
and is cancelled at its timeout), so in code a function can be registered as it is;
:func:`callable_agent` only checks it early. For definitions, the host publishes a table of
functions and a definition names one of them with ``wfengine:function``: a definition can
never make the engine import or call anything the host did not list.
"""

from __future__ import annotations

from collections.abc import Mapping

from wfengine.applications.registry import AgentFactory, ApplicationFunc
from wfengine.applications.unknown_settings import refuse_unknown


def callable_agent(func: ApplicationFunc) -> ApplicationFunc:
    """``func`` itself, once it is known to be callable (sync or ``async def``)."""
    if not callable(func):
        raise TypeError(f"{func!r} is not callable")
    return func


def callable_agent_factory(functions: Mapping[str, ApplicationFunc]) -> AgentFactory:
    """A factory for ``registry.allow_agent("python", ...)`` choosing from ``functions`` by the
    definition's ``wfengine:function`` setting; another setting of the definition's (a
    misspelt one) is refused (:func:`~wfengine.applications.unknown_settings.refuse_unknown`)."""
    table = {name: callable_agent(f) for name, f in functions.items()}

    def factory(settings: Mapping[str, str]) -> ApplicationFunc:
        refuse_unknown("Python-callable", settings, ("function",))
        name = settings.get("function", "")
        if name not in table:
            known = ", ".join(sorted(table)) or "none"
            raise ValueError(f"wfengine:function {name!r} is not offered (offered: {known})")
        return table[name]

    return factory
