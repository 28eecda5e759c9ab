"""The webhook notifier: each notification POSTed as signed JSON to a receiver's URL.

What the receiver gets: the notification as a JSON object, ``X-Wfengine-Key`` (the idempotency
key, percent-encoded: see :func:`key_header`) and ``X-Wfengine-Signature`` (HMAC-SHA256 of the
body, :func:`signature`), so it can check who sent it and drop a repeat.

How a POST ends, and why:

* ``timeout`` bounds the whole POST, from connecting to the answer's status and headers
  (:class:`~wfengine.applications.agents.http_deadline.Deadline`): httpx's own timeout bounds
  each read, and a receiver sending a byte every few seconds held a delivery past the outbox
  lease, so a second worker posted the entry again. The answer's body is never read (the
  status says all), so a body trickling in holds nothing either.
* A 2xx delivers it. A 4xx (but 408, 425 and 429) is a refusal for good
  (:class:`~wfengine.errors.PermanentApplicationError`: a wrong URL, a rejected signature), so
  the outbox gives the entry up at once instead of posting it again for hours. So is a 3xx: a
  redirect is not followed (the signed notification goes to the URL the host configured, no
  further) and the error names where it points (``scheme://host``), for the host to configure
  that instead; retrying only met the same redirect for eight hours.
* 429 and 503 with ``Retry-After`` fail it for now with :attr:`ApplicationError.retry_after
  <wfengine.errors.ApplicationError.retry_after>` set: the outbox waits at least that long
  (at most its ``max_retry``) before the next attempt, where it posted once a back-off step
  (seconds) into a receiver asking for quiet. Any other status, and a receiver that cannot be
  reached or does not answer in time, fails it for now (the outbox retries it).

Failures and ``repr`` name the webhook ``scheme://host[:port]`` alone: a webhook's URL often
holds its secret, in the userinfo, the query or the path itself (``/services/T…/B…/token``),
and what a failure says is stored in the outbox entry and logged.

A POST goes through the proxies the environment names (``HTTP_PROXY``, ``HTTPS_PROXY``,
``ALL_PROXY``, but to the hosts ``NO_PROXY`` names), read as the HTTP agent reads them:
:func:`~wfengine.applications.agents.http_proxies.environment_mounts`. httpx's own reading
(a client without a transport of its own) raised ``InvalidURL`` for a ``NO_PROXY`` entry it
cannot parse (``[::1]``) when the client was made, so every delivery failed for hours on such
a host while the HTTP agent worked; and the two readings were two meanings of one setting. A
proxy that is no URL, or a ``NO_PROXY`` entry that is no host, fails the delivery for good
(:class:`~wfengine.errors.PermanentApplicationError`) naming the variable, never a proxy's
URL, which may hold its password (a failure never quotes one).

One client per notifier, made at its first delivery (the environment is read then) and kept,
as the HTTP agent keeps its own (:class:`~wfengine.applications.agents.kept_client.KeptClient`):
making an ``httpx.Client`` makes an SSL context per transport, one for the receiver and one per
proxy named, which cost 20 ms of a 21 ms delivery to a local receiver, 76 ms with two proxies
named, where a kept client's POST took 0.3 ms. Threads delivering at once share it; a forked
process makes its own; :meth:`WebhookNotifier.close` closes it, for a host done with the
notifier, and a delivery after that makes a new one. A cookie a receiver sets is never kept,
as no per-POST client kept one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import asdict
from urllib.parse import quote, unquote, urlsplit

import httpx

from wfengine.applications.agents.agent_timeouts import check_timeout
from wfengine.applications.agents.http_deadline import Deadline
from wfengine.applications.agents.http_json import service_name, without_urls
from wfengine.applications.agents.http_proxies import proxy_urls
from wfengine.applications.agents.kept_client import KeptClient
from wfengine.applications.agents.retry_after import answer_wait
from wfengine.errors import ApplicationError, ApplicationTimeoutError, PermanentApplicationError
from wfengine.worklist.notification import Notification, Person

#: the 4xx answers that say "not now" rather than "never": Request Timeout, Too Early, Too
#: Many Requests (the same POST may succeed later, so the outbox retries it)
_TRANSIENT_4XX = frozenset({408, 425, 429})

#: what a key keeps as is in ``X-Wfengine-Key``: printable ASCII but space and ``%``
_KEY_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) != "%")


def signature(secret: bytes, body: bytes) -> str:
    """The ``X-Wfengine-Signature`` of ``body``: ``sha256=`` and the HMAC's hex digest."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def key_header(key: str) -> str:
    """``key`` as ``X-Wfengine-Key`` carries it: percent-encoded as UTF-8 (RFC 3986), which
    leaves a key of printable ASCII without space or ``%`` as it is (every key of wfengine's
    own ids), and ``urllib.parse.unquote`` gives back. Why: a host's id generator may make
    ids such as ``ärende-2``, and an HTTP header takes ASCII only: the POST failed before it
    was sent, at every attempt for eight hours. The body holds the key unencoded (under the
    signature)."""
    return quote(key, safe=_KEY_SAFE)


class WebhookNotifier:
    """POSTs each notification as JSON to ``url``, signed with ``secret``, each POST bounded by
    ``timeout`` seconds in all (see the module notes for what each answer does)."""

    def __init__(self, url: str, *, secret: str | bytes, timeout: float = 10.0) -> None:
        _check_url(url)
        if not isinstance(secret, str | bytes | bytearray):  # (never its value)
            kind = type(secret).__name__
            raise TypeError(f"webhook notifier: secret must be text or bytes, not {kind}")
        if not secret:
            raise ValueError("webhook notifier: secret is empty")
        check_timeout("webhook notifier", timeout)
        self.url = url
        self._secret = secret.encode() if isinstance(secret, str) else bytes(secret)
        self._timeout = timeout
        self._where = _webhook_name(url)
        self._client = KeptClient(timeout)

    def __repr__(self) -> str:
        return f"webhook {self._where}"

    def notify(self, notification: Notification, users: list[Person]) -> None:
        body = json.dumps(asdict(notification), sort_keys=True).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Wfengine-Key": key_header(notification.key),
            "X-Wfengine-Signature": signature(self._secret, body),
        }
        self._judge(self._post(body, headers))

    def close(self) -> None:
        """Close the notifier's client and its connections (see the module notes): a POST
        running in another thread meanwhile may fail (an
        :class:`~wfengine.errors.ApplicationError`, which the outbox retries)."""
        self._client.close()

    def _post(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        """POST ``body``, the answer's status and headers within the timeout; its body is not
        read (the response is closed, and its connection with it)."""
        try:
            client = self._client.get()
        except PermanentApplicationError as exc:  # (the environment's proxies: module notes)
            raise PermanentApplicationError(f"webhook {self._where}: {exc}") from None
        deadline = Deadline(self._timeout)
        answer: httpx.Response | None = None
        try:
            request = client.build_request(
                "POST",
                self.url,
                content=body,
                headers=headers,
                extensions={"trace": deadline.trace},
            )
            try:
                with deadline.watching():
                    answer = client.send(request, stream=True)
            finally:  # the deadline's timer is stopped: the connection may go back to the pool
                if answer is not None:
                    deadline.discard()  # unless the deadline shut it
                    answer.close()
        except httpx.HTTPError as exc:  # (some messages quote the URL)
            if deadline.passed or isinstance(exc, httpx.TimeoutException):
                raise ApplicationTimeoutError(
                    f"webhook {self._where}: no answer within {self._timeout:g} s"
                ) from exc
            # the URL as given and as httpx writes it, and a proxy's (it may hold a password)
            told = without_urls(str(exc), (self.url, str(httpx.URL(self.url))), self._where)
            told = without_urls(told, proxy_urls(), "the proxy")
            raise ApplicationError(f"webhook {self._where}: {type(exc).__name__}: {told}") from exc
        except RuntimeError as exc:  # (httpx's word for a client closed before the send)
            if not client.is_closed:
                raise
            raise ApplicationError(
                f"webhook {self._where}: the notifier was closed as it posted: not sent"
            ) from exc
        return answer

    def _judge(self, answer: httpx.Response) -> None:
        """Return for a 2xx; otherwise raise what the status means (see the module notes)."""
        if answer.is_success:
            return
        status = answer.status_code
        if answer.is_redirect or 300 <= status < 400:
            raise PermanentApplicationError(
                f"webhook {self._where} answered {status}, a redirect {self._target(answer)}: "
                "not followed (the signed notification goes to the configured URL alone); "
                "give the notifier the URL it redirects to, then retry the outbox entry"
            )
        if 400 <= status < 500 and status not in _TRANSIENT_4XX:
            raise PermanentApplicationError(
                f"webhook {self._where} answered {status}, a refusal for good (a 4xx): not "
                "posted again; fix the webhook's URL or secret, or the receiver, then retry "
                "the outbox entry"
            )
        wait = answer_wait(answer)
        if wait is None:
            raise ApplicationError(f"webhook {self._where} answered {status}")
        error = ApplicationError(
            f"webhook {self._where} answered {status}, asking for {wait.total_seconds():g} s "
            "of quiet (Retry-After): the outbox waits that long before posting again, at most "
            "its policy's max_retry"
        )
        error.retry_after = wait
        raise error

    def _target(self, answer: httpx.Response) -> str:
        """Where a redirect points, as messages name a webhook (its path and query may hold a
        secret too)."""
        location = answer.headers.get("Location")
        if not location:
            return "without a Location"
        try:
            return f"to {_webhook_name(str(httpx.URL(self.url).join(location)))}"
        except (httpx.InvalidURL, ValueError):
            return "to a Location that is not a URL"


def _webhook_name(url: str) -> str:
    """A webhook as messages name it: ``scheme://host[:port]``, without the path, query,
    userinfo or fragment that may hold its secret (see the module notes)."""
    parts = urlsplit(url)
    return service_name(f"{parts.scheme}://{parts.netloc}")


#: what no host name holds (the WHATWG URL standard's forbidden domain code points, but
#: those httpx takes out of a host: # / : ? @ [ ]): httpx percent-encodes some into the host
#: and posts to that name, which never resolves
_NOT_IN_HOSTS = frozenset(" <>\\^|%\x7f") | frozenset(map(chr, range(0x20)))  # (and controls)


def _check_url(url: object) -> None:
    """Refuse a webhook URL httpx cannot post to, here rather than at every delivery for
    eight hours; the URL is not shown (it may hold the webhook's secret), its host and port
    are (as failures name the webhook). So are a port out of range (``:99999``, httpx takes
    it, and every POST failed to connect) and a host with a character no host name holds
    (``ex ample.com``, which httpx takes as ``ex%20ample.com``); a host that does not resolve
    now is taken: it may later."""
    if not isinstance(url, str):
        raise TypeError(f"webhook notifier: url must be text (an http(s) URL), not {url!r}")
    try:
        parts = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ValueError(f"webhook notifier: url is not a URL: {exc}") from None
    if parts.scheme not in ("http", "https"):
        has = f"its scheme is {parts.scheme!r}" if parts.scheme else "it has none"
        raise ValueError(f"webhook notifier: url must start with http:// or https:// ({has})")
    if not parts.host:
        raise ValueError("webhook notifier: url names no host")
    if parts.port is not None and not 1 <= parts.port <= 65535:
        raise ValueError(
            f"webhook notifier: url's port {parts.port} is out of range: a port is from 1 to 65535"
        )
    host = unquote(parts.host)  # (as given: httpx percent-encodes what it refuses in one)
    odd = sorted({c for c in host if c in _NOT_IN_HOSTS})
    if not odd and "%" in parts.host:  # (given percent-encoded: httpx posts to "ex%41mple")
        host, odd = parts.host, ["%"]
    if odd and not parts.netloc.startswith(b"["):  # (an IPv6 address's zone may hold "%")
        raise ValueError(
            f"webhook notifier: url's host {host!r:.200} holds {', '.join(map(repr, odd))}, "
            "which no host name holds; give the receiver's name or address (hooks.example.com)"
        )
