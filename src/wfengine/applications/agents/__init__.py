"""Built-in tool agents: factories returning callables for ``registry.register``.

Each module holds one kind of agent and two entry points: a function building the callable in
code (``http_agent(url, ...)``), and a factory a host passes to
:meth:`~wfengine.applications.registry.ApplicationRegistry.allow_agent` so that definitions may
bind applications to that kind through ``wfengine:agent`` extended attributes, within limits
the host sets (allowed URL prefixes, a table of commands, a table of functions):

==============  =========================  ==============================================
kind            in code                    for definitions (host-enabled)
==============  =========================  ==============================================
``python``      :func:`callable_agent`     :func:`callable_agent_factory` (``wfengine:function``)
``http``        :func:`http_agent`         :func:`http_agent_factory` (``wfengine:url``...)
``subprocess``  :func:`subprocess_agent`   :func:`subprocess_agent_factory` (``wfengine:command``)
``email``       :func:`email_agent`        :func:`email_agent_factory`
==============  =========================  ==============================================

Errors an agent raises decide retrying: a
:class:`~wfengine.errors.PermanentApplicationError` (HTTP 4xx, an unusable answer, a
recipient refused for good) is never retried; anything else is retried while the binding has
retries left. The exception's class name picks the activity's EXCEPTION transition.
"""

from wfengine.applications.agents.callables import callable_agent, callable_agent_factory
from wfengine.applications.agents.http_json import (
    HttpClientError,
    HttpServerError,
    http_agent,
    http_agent_factory,
)
from wfengine.applications.agents.mail import (
    RecipientsDeferredError,
    RecipientsRefusedError,
    email_agent,
    email_agent_factory,
)
from wfengine.applications.agents.subprocesses import (
    ProcessFailedError,
    subprocess_agent,
    subprocess_agent_factory,
)

__all__ = [
    "HttpClientError",
    "HttpServerError",
    "ProcessFailedError",
    "RecipientsDeferredError",
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
