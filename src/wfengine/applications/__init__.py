"""Interface 3: invoked applications.

XPDL Applications are bound to code by the host (:class:`ApplicationRegistry`: Python
callables, entry points, or agents a definition names and the host enabled); a call maps the
activity's actual parameters onto the application's formal parameters (:mod:`.specs`, built
once when a process is compiled), checks and converts values by their XPDL types
(:mod:`.coercion`), calls with an idempotency key, a timeout and retries with backoff
(:mod:`.calling`) and records every attempt with sensitive values hidden (:mod:`.redaction`).
The tool agents (HTTP/JSON, subprocess, e-mail, Python callables) are in :mod:`.agents`.

This package knows nothing of running instances: the engine (``wfengine.runtime``) evaluates
the actual parameters, calls through here, and writes the answer to the instance's data.
"""

from wfengine.applications.calling import ToolFailure, call_application, find_binding
from wfengine.applications.coercion import coerce
from wfengine.applications.redaction import REDACTED, audit_values
from wfengine.applications.registry import (
    AgentFactory,
    ApplicationFunc,
    ApplicationRegistry,
    Binding,
    make_binding,
)
from wfengine.applications.specs import ParamSpec, ToolSpec, build_tool_spec

__all__ = [
    "REDACTED",
    "AgentFactory",
    "ApplicationFunc",
    "ApplicationRegistry",
    "Binding",
    "ParamSpec",
    "ToolFailure",
    "ToolSpec",
    "audit_values",
    "build_tool_spec",
    "call_application",
    "coerce",
    "find_binding",
    "make_binding",
]
