"""The built-in tool agents, under the name README has always given them.

They live in :mod:`wfengine.applications.agents` (Interface 3 in one package); this module
re-exports them unchanged, so ``from wfengine.wapi.agents import http_agent`` keeps working.
"""

from wfengine.applications.agents import (
    HttpClientError,
    HttpServerError,
    ProcessFailedError,
    RecipientsRefusedError,
    callable_agent,
    callable_agent_factory,
    email_agent,
    email_agent_factory,
    http_agent,
    http_agent_factory,
    subprocess_agent,
    subprocess_agent_factory,
)

__all__ = [
    "HttpClientError",
    "HttpServerError",
    "ProcessFailedError",
    "RecipientsRefusedError",
    "callable_agent",
    "callable_agent_factory",
    "email_agent",
    "email_agent_factory",
    "http_agent",
    "http_agent_factory",
    "subprocess_agent",
    "subprocess_agent_factory",
]
