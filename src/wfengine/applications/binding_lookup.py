"""The code bindings of a registry as one function to call many times: the engine looks them
up once per command (:class:`~wfengine.runtime.tools.ToolCalls`) and calls the function per
application call.

Why: :meth:`ApplicationRegistry.get <wfengine.applications.registry.ApplicationRegistry.get>`
is a Python method around a ``dict.get``, a Python call on every application call; the
dict's own ``get`` is a C call. A registry whose class changes ``get``, or whose own ``get``
was replaced (a host's test patching it), is asked through it.
(A module of its own: ``registry.py`` is at its size limit.)
"""

from __future__ import annotations

from collections.abc import Callable

from wfengine.applications.registry import ApplicationRegistry, Binding


def binding_lookup(registry: ApplicationRegistry) -> Callable[[str], Binding | None]:
    """``registry.get``: the bindings' own ``dict.get`` unless a subclass or the registry
    itself changes ``get``."""
    if type(registry).get is ApplicationRegistry.get and "get" not in vars(registry):
        return registry._bindings.get  # (the registry's own dict, never replaced)
    return registry.get
