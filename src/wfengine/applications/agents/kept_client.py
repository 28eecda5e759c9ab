"""One ``httpx.Client`` kept for the life of its owner: the HTTP agent's (one per agent) and
the webhook notifier's (one per notifier).

Why keep one: making a client makes an SSL context per transport (loading the certificates),
one for the service and one per proxy the environment names: tens of milliseconds, most of a
call to a nearby service (20 of a webhook delivery's 21 ms, measured), and a kept client also
reuses its kept-alive connections.

How: made on the first :meth:`KeptClient.get`, under a lock (httpx's client serves requests
from many threads at once; only making it needs guarding). A process forked after it was
made gets its own (parent and child must not share connections): the owning process id is
checked on every call, and the lock is made anew too, as a fork may copy it held by a thread
that does not exist in the child. Given no transport, the client gets the one whose
connections the whole-request deadline watches (:func:`~.http_deadline.watched_transport`)
and the environment's proxies as mounts (:func:`~.http_proxies.environment_mounts`: httpx
reads the environment only for a client without a transport of its own); a proxy setting that
cannot work is a :class:`~wfengine.errors.PermanentApplicationError` and no client is kept, so
a fixed environment is read at the next call. A given transport is used as it is. Redirects
are not followed (one could leave where the owner may post) and no cookie is ever kept (calls
belong to different instances and users). :meth:`KeptClient.close` closes it; a later
:meth:`KeptClient.get` makes another.
"""

from __future__ import annotations

import os
import threading
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx

from wfengine.applications.agents.http_deadline import watched_transport
from wfengine.applications.agents.http_proxies import environment_mounts


class _NoCookies(DefaultCookiePolicy):
    """Never stores a cookie: a cookie one answer sets must not travel with the next call,
    made for another instance or user, through the kept client."""

    def set_ok(self, cookie: Any, request: Any) -> bool:
        return False


class KeptClient:
    """An owner's one ``httpx.Client`` (see the module notes)."""

    def __init__(self, timeout: float, transport: httpx.BaseTransport | None = None) -> None:
        self._timeout = timeout
        self._transport = transport
        self._client: httpx.Client | None = None
        self._pid = os.getpid()
        self._lock = threading.Lock()

    def get(self) -> httpx.Client:
        """The client, made on the first call in this process."""
        client, pid = self._client, os.getpid()
        if client is not None and self._pid == pid:
            return client
        if self._pid != pid:  # forked: the parent's client and lock (maybe held) are its own
            self._pid, self._client, self._lock = pid, None, threading.Lock()
        with self._lock:
            if self._client is None:
                given = self._transport
                self._client = httpx.Client(
                    timeout=self._timeout,
                    transport=given or watched_transport(),
                    # the environment's proxies (first: they may be refused, and then no
                    # client is kept)
                    mounts=environment_mounts() if given is None else None,
                    follow_redirects=False,
                    cookies=CookieJar(policy=_NoCookies()),
                )
            return self._client

    def close(self) -> None:
        """Close the client, if this process made it; the next :meth:`get` makes another."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None and self._pid == os.getpid():
            client.close()
