"""Stand-ins for the applications nothing binds in a ``wfengine run`` (``--unbound stub``).

``wfengine run`` is how people try a definition out, usually before any application code
exists. Stopping at the first Tool activity with an incident ("not bound") makes the rest of
the process untestable, so by default the runner stubs every application that neither
``--apps MODULE`` nor an agent the host enabled binds: the stand-in accepts any keyword
arguments, records the call (application id and inputs) and returns no output values: the
fields its OUT and INOUT parameters write keep their values (a stand-in's answer may leave
OUT parameters out). Inputs the Application lists in ``wfengine:sensitive`` are
recorded as ``"***"``, as in the audit trail. The run then names each stubbed application
(stderr, and ``"stubbed"`` in ``--json``), so a stubbed run is never mistaken for a real one.

An application whose definition asks for an agent kind (``wfengine:agent``) the host has not
enabled is not bound by an enabled agent either, so it is stubbed as well; an enabled agent
that refuses its settings is still an error (an incident), since that is a definition mistake.
"""

from __future__ import annotations

import copy
from typing import Any

from wfengine.applications.registry import (
    ApplicationFunc,
    ApplicationRegistry,
)
from wfengine.definition.model import Application


class StubbedApplications:
    """The stand-ins of one run and the calls they received, by application id."""

    def __init__(self) -> None:
        self.calls: dict[str, list[dict[str, Any]]] = {}

    def stand_in(self, application: Application) -> ApplicationFunc:
        """The callable standing in for ``application`` (a registry fallback)."""
        from wfengine.applications.redaction import REDACTED, sensitive_formals

        secret = sensitive_formals(application)
        calls = self.calls.setdefault(application.id, [])

        def stub(**inputs: Any) -> dict[str, Any]:
            calls.append(
                {k: REDACTED if k in secret else copy.deepcopy(v) for k, v in inputs.items()}
            )
            return {}

        return stub

    def called(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """``(application id, inputs of each call)`` of the stand-ins that were called."""
        return [(app_id, calls) for app_id, calls in self.calls.items() if calls]


class RunRegistry(ApplicationRegistry):
    """The registry of a ``wfengine run``: with :meth:`stub_unbound`, applications nothing
    binds (and those asking for an agent kind that is not enabled) get a stand-in through the
    registry's fallback."""

    def __init__(self) -> None:
        super().__init__()
        self.stubs: StubbedApplications | None = None

    def stub_unbound(self) -> StubbedApplications:
        """Stand in for unbound applications from now on; returns the recorder."""
        self.stubs = StubbedApplications()
        self.set_fallback(self.stubs.stand_in)
        return self.stubs
