"""The registry binding XPDL Application ids to Python callables (interface 3, minimal).

A callable receives the application's IN and INOUT formal parameters as keyword arguments
named by the formal parameter ids, and returns a mapping of OUT/INOUT parameter ids to values
(or None when it has no output). Retries, timeouts and other agents come with the
applications work; the registry's ``register`` signature already accepts them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

ApplicationFunc = Callable[..., Mapping[str, Any] | None]


@dataclass(frozen=True, slots=True)
class Binding:
    application_id: str
    func: ApplicationFunc
    retries: int = 0
    timeout: float | None = None


class ApplicationRegistry:
    def __init__(self) -> None:
        self._bindings: dict[str, Binding] = {}

    def register(
        self,
        application_id: str,
        func: ApplicationFunc | None = None,
        *,
        retries: int = 0,
        timeout: float | None = None,
    ) -> Any:
        """Bind ``application_id`` to ``func``; without ``func``, return a decorator."""
        if func is None:

            def decorator(f: ApplicationFunc) -> ApplicationFunc:
                self.register(application_id, f, retries=retries, timeout=timeout)
                return f

            return decorator
        if not callable(func):
            raise TypeError(f"application {application_id!r}: {func!r} is not callable")
        self._bindings[application_id] = Binding(application_id, func, retries, timeout)
        return func

    def unregister(self, application_id: str) -> None:
        self._bindings.pop(application_id, None)

    def get(self, application_id: str) -> Binding | None:
        return self._bindings.get(application_id)

    def __contains__(self, application_id: object) -> bool:
        return application_id in self._bindings

    def ids(self) -> list[str]:
        return sorted(self._bindings)
