"""The HTTP/JSON agent: one request per call, IN parameters out as JSON, OUT parameters back.

A POST/PUT/PATCH sends the IN and INOUT parameters as a JSON object (dates as ISO 8601 text, a
Decimal as a JSON number, a timedelta as an ISO 8601 duration such as ``"PT1H30M"``:
:func:`json_default`); GET/DELETE send them as query parameters, added after the URL's own
query, which is sent byte for byte as written (:func:`_with_params`; a signed URL stays signed):
text, dates, times and durations as they are (ISO 8601), other values as JSON (``5``,
``true``, ``[1, 2]``), and a parameter without a value (None) not at all; a parameter named as
a key of the URL's own query (the host's API key, say) is refused, never sent in its place
(:func:`_query_params`). A parameter holding NaN or an infinity (JSON has no number for them,
float or Decimal), or a value JSON cannot carry at all, is a
:class:`~wfengine.errors.PermanentApplicationError` naming it, and nothing is sent
(:func:`json_inputs`). Every request carries the header ``Idempotency-Key``, the same on every
attempt of one activity's call, so the server can recognise a retry. A 2xx answer must be a
JSON object (or empty: no outputs); ``outputs`` picks the keys to keep when the service
answers with more than the application's OUT parameters. Redirects are not followed: a 3xx
answer is a :class:`HttpClientError` naming where it points (the service did nothing).
Failures name the service as ``METHOD scheme://host[:port]/path`` (:func:`service_name`):
never the URL's query (a host's URL may carry its API key there), userinfo or fragment, since
what a failure says goes into the audit trail and the incident.

Failures and retrying: 4xx (except 408 and 429) raise :class:`HttpClientError`, a permanent
error that is never retried: the request itself is wrong. 5xx, 408 and 429 raise
:class:`HttpServerError`, network errors an ``ApplicationError``, and a timeout
:class:`~wfengine.errors.ApplicationTimeoutError`; those are retried while retries remain. A
429 or 503 with ``Retry-After`` sets the error's ``retry_after``: the next attempt waits that
long, at most the binding's ``max_backoff`` (:meth:`~wfengine.applications.registry.Binding.delay`).

Definitions (:func:`http_agent_factory`, off unless the host enables it) may come from people
the host does not trust, so what they can ask for is limited, and a setting outside the limits
is refused when the binding is built (an incident, and ``application-agent-disabled`` from
``registry.check``), never quietly dropped:

URLs (``wfengine:url``)
    are compared with the host's ``allowed_prefixes`` after normalisation
    (:func:`~wfengine.applications.agents.http_policy.normalise_url`), not as text: the scheme
    (http or https only) and host are compared case-insensitively, the host after IDNA
    (punycode) conversion and without a trailing dot, the port as the effective port (80 and
    443 filled in), and the path segment by segment after percent-decoding unreserved
    characters and resolving ``.`` and ``..`` (``%2e%2e`` too). A prefix's path covers
    itself and what is below it: ``/api`` (or ``/api/``) covers ``/api`` and ``/api/x``, not
    ``/apix`` or ``/api/../admin``. The query plays no part. Refused outright: userinfo
    (``user@host``), backslashes, whitespace and control characters, fragments, malformed
    escapes, an encoded ``/``, ``\\`` or ``%`` in the path, dot segments with a path
    parameter (``..;``), and IPv4 addresses not written as ``a.b.c.d``. The request goes to
    the normalised URL, so what was checked is what is sent. A host prefix with userinfo, a
    query or a fragment is a ValueError from :func:`http_agent_factory`.
Headers (``wfengine:header:NAME``)
    may be only those the host lists in ``definition_headers`` (names compared
    case-insensitively; by default
    :data:`~wfengine.applications.agents.http_policy.DEFAULT_DEFINITION_HEADERS`: ``Accept``,
    ``Accept-Language``, ``Content-Type`` (a JSON media type, since the body is JSON) and
    ``X-Request-Id``; ``definition_headers=()`` allows none). Hop-by-hop, framing, credential
    and client-identity headers (``Host``, ``Content-Length``, ``Transfer-Encoding``,
    ``Connection``, ``Expect``, ``Cookie``, ``Authorization``, ``Proxy-*``, ``Forwarded``,
    ``X-Forwarded-*``, ...; see
    :data:`~wfengine.applications.agents.http_policy.NEVER_FROM_DEFINITIONS`) and
    ``Idempotency-Key`` can never be set by a definition; listing one is a ValueError. The
    host's own ``headers`` always win over a definition's, compared case-insensitively, and
    each header name is sent once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import httpx

from wfengine.applications.agents.agent_timeouts import check_timeout
from wfengine.applications.agents.http_deadline import Deadline
from wfengine.applications.agents.http_policy import (
    DEFAULT_DEFINITION_HEADERS,
    URLPrefix,
    allowed_url,
    check_header,
    checked_definition_headers,
    definition_header_policy,
    merge_headers,
)
from wfengine.applications.agents.http_proxies import proxy_urls
from wfengine.applications.agents.kept_client import KeptClient
from wfengine.applications.agents.retry_after import answer_wait
from wfengine.applications.registry import AgentFactory, ApplicationFunc
from wfengine.applications.stoppable import stops_itself
from wfengine.applications.unknown_settings import refuse_unknown
from wfengine.errors import ApplicationError, ApplicationTimeoutError, PermanentApplicationError
from wfengine.json_text import iso_duration

IDEMPOTENCY_HEADER = "Idempotency-Key"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_RETRYABLE_4XX = frozenset({408, 429})
#: the most of an answer's body an agent reads (``http_agent(max_answer=)``): a service that
#: answers without end must not fill the engine's memory; what it answers goes into instance
#: data anyway, which a few megabytes already make heavy
MAX_ANSWER = 16 * 2**20
_METHOD = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Z]+")  # an RFC 9110 token, upper-cased


class HttpClientError(PermanentApplicationError):
    """The service refused the request (4xx): retrying it unchanged cannot succeed."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class HttpServerError(ApplicationError):
    """The service failed or is overloaded (5xx, 408, 429): worth retrying."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class _NotFinite(ValueError):
    """A Decimal NaN or infinity: JSON has no number for it, as for a float's."""


def json_default(value: Any) -> Any:
    """JSON for what the engine's data holds beyond JSON: dates and times as ISO 8601 text;
    a Decimal (a money amount) as a JSON number, an integer when written without decimals
    (exact at any size), else the nearest float (what a JSON reader reads a number as: 15
    significant digits come through exactly); a timedelta (a script's ``due - now()``) as an
    ISO 8601 duration in hours, minutes and seconds (:func:`iso_duration`), exact, which a
    JSON reader cannot take for a plain number of seconds or days by mistake. A Decimal NaN
    or infinity is a ``ValueError`` (:func:`json_inputs` names its parameter)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _NotFinite(f"Decimal {value} is not a number JSON has")
        exponent = value.as_tuple().exponent
        return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)
    if isinstance(value, timedelta):
        return iso_duration(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_inputs(inputs: Mapping[str, Any], where: str, *, whole: bool = True) -> str:
    """``inputs`` as strict JSON text to send (``whole=False``: the one value of a one-entry
    ``inputs``). A NaN or an infinity, which a float may hold but JSON has no number for
    (Python would write the bare ``NaN``/``Infinity``, which no strict JSON reader takes), is
    a :class:`PermanentApplicationError` naming the parameter: sending it again cannot
    help, the instance's data must change. ``where`` names the service or program."""
    try:
        if whole:
            return json.dumps(inputs, default=json_default, allow_nan=False)
        [value] = inputs.values()
        return json.dumps(value, default=json_default, allow_nan=False)
    except (ValueError, TypeError) as whole_exc:
        failed = whole_exc
    for name, value in inputs.items():
        try:
            json.dumps(value, default=json_default, allow_nan=False)
        except (ValueError, TypeError) as exc:
            why = (
                "holds NaN or an infinity, which JSON has no number for (a strict JSON reader "
                "refuses the bare NaN and Infinity): give it a finite number and retry"
                if isinstance(exc, _NotFinite)
                or (isinstance(exc, ValueError) and "float" in str(exc))
                else f"cannot be sent as JSON ({exc})"
            )
            raise PermanentApplicationError(f"{where}: parameter {name!r} {why}") from exc
    raise PermanentApplicationError(f"{where}: the parameters cannot be sent as JSON ({failed})")


def http_agent(
    url: str,
    *,
    method: str = "POST",
    headers: Mapping[str, str] | None = None,
    timeout: float = 30.0,
    outputs: Iterable[str] | None = None,
    transport: httpx.BaseTransport | None = None,
    max_answer: int = MAX_ANSWER,
) -> ApplicationFunc:
    """A callable sending one ``method`` request to ``url`` per call (see the module doc).

    ``url`` and ``headers`` are trusted here (the host writes them); definitions go through
    :func:`http_agent_factory`. Header names are compared case-insensitively, so ``headers``
    replace the defaults (``Accept``, ``Content-Type``) whatever their case, and the agent's
    ``Idempotency-Key`` replaces any given one. ``timeout`` bounds the whole request, from
    connecting to the answer's last byte, however slowly it arrives: at that point the
    connection is shut and the call raises ApplicationTimeoutError
    (:mod:`~wfengine.applications.agents.http_deadline`). A binding's shorter timeout takes
    its place (the connection is closed then, not left open in an abandoned thread,
    :mod:`wfengine.applications.stoppable`). Requests go through the proxies the environment
    names (``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY``, except the hosts ``NO_PROXY`` names:
    :mod:`~wfengine.applications.agents.http_proxies`), as httpx's and the webhook notifier's
    do, unless a ``transport`` is given (for tests, or a proxy set up by the host). An answer
    whose body passes ``max_answer`` bytes (16 MiB) is read no further: a
    :class:`~wfengine.errors.PermanentApplicationError` saying so.

    The agent's calls share one client, made on the first call, and its kept-alive
    connections (from any thread; a forked process makes its own). Nothing else is shared: a
    cookie an answer sets is never sent again, and a connection cut at a deadline is dropped.
    """
    check_url("http_agent", url)
    verb = method.upper()
    if not _METHOD.fullmatch(verb):
        raise ValueError(f"{method!r} is not an HTTP method")
    check_limits("http_agent", timeout, max_answer)
    fixed = merge_headers(headers or {})
    for name, value in fixed.items():
        check_header(name, value)
    if isinstance(outputs, str | bytes):
        raise TypeError(
            f"http_agent: outputs must be a list of answer keys, not the text {outputs!r} "
            f"(write [{outputs!r}])"
        )
    keep = frozenset(outputs) if outputs is not None else None
    shared = KeptClient(timeout, transport)
    where = f"{verb} {service_name(url)}"  # what failures name: the query may hold a key

    def call(*, idempotency_key: str | None = None, **inputs: Any) -> Mapping[str, Any] | None:
        defaults = {"Accept": "application/json"}
        content: bytes | None = None
        params: dict[str, str] | None = None
        if verb in _BODY_METHODS:
            content = json_inputs(inputs, where).encode()
            defaults["Content-Type"] = "application/json"
        else:
            params = _query_params(inputs, url, where)
        own = {IDEMPOTENCY_HEADER: idempotency_key} if idempotency_key is not None else {}
        sent = merge_headers(defaults, fixed, own)
        target = _with_params(url, params)
        deadline = Deadline(timeout)
        client = shared.get()
        response: httpx.Response | None = None
        try:
            request = client.build_request(
                verb, target, content=content, headers=sent, extensions={"trace": deadline.trace}
            )
            try:
                with deadline.watching():
                    response = client.send(request, stream=True)
                    body = _body(response, deadline, max_answer, where)
            finally:  # the deadline's timer is stopped: the connection can go back to the pool
                if response is not None:
                    deadline.discard()  # unless the deadline shut it
                    response.close()
        except httpx.HTTPError as exc:
            if deadline.passed or isinstance(exc, httpx.TimeoutException):
                raise ApplicationTimeoutError(
                    f"{where}: no complete answer within {timeout:g} s"
                ) from exc
            told = without_urls(str(exc), (str(target), url), where.partition(" ")[2])
            told = without_urls(told, proxy_urls(), "the proxy")  # (it may hold a password)
            raise ApplicationError(f"{where}: {type(exc).__name__}: {told}") from exc
        if body is None:
            raise ApplicationTimeoutError(f"{where}: no complete answer within {timeout:g} s")
        return _answer(where, response, body, keep)

    call.__name__ = f"http_{verb.lower()}"

    def rebuild(seconds: float) -> ApplicationFunc:
        return http_agent(
            url,
            method=verb,
            headers=fixed,
            timeout=min(timeout, seconds),
            outputs=keep,
            transport=transport,
            max_answer=max_answer,
        )

    return stops_itself(call, rebuild)


def check_limits(who: str, timeout: float, max_answer: int) -> None:
    """Refuse a timeout or answer limit that cannot work, when the agent is made: a zero,
    negative or NaN timeout would fail every call (or, NaN, never time out), and a
    ``max_answer`` that is not a positive whole number would refuse every answer or none,
    each found only at the first call, far from the line that set it."""
    check_timeout(who, timeout)
    if isinstance(max_answer, bool) or not isinstance(max_answer, int):
        raise TypeError(f"{who}: max_answer must be a whole number of bytes, not {max_answer!r}")
    if max_answer < 1:
        raise ValueError(f"{who}: max_answer must be at least 1 byte, not {max_answer!r}")


def check_url(who: str, url: object) -> None:
    """Refuse, when the agent is made, a ``url`` that is not an ``http://`` or ``https://`` URL
    naming a host: None, bytes or a number failed only at the first call, inside httpx or
    urllib, with an error naming neither the agent nor the argument, and a text that is no URL
    was taken and failed every call. The URL itself is not quoted (its query may hold a key)."""
    if not isinstance(url, str):
        raise TypeError(f"{who}: url must be the text of an http:// or https:// URL, not {url!r}")
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{who}: url must be an http:// or https:// URL naming a host")
    if url != url.strip() or any(ord(c) < 32 or ord(c) == 127 for c in url):
        # (urlsplit drops what the request cannot send: a space before, a line break within)
        raise ValueError(f"{who}: url holds a space around it or a control character: remove it")


def service_name(url: str) -> str:
    """``url`` as failures name the service: ``scheme://host[:port]/path``, without its
    query, fragment or userinfo. A host's URL may carry its API key in the query (the
    agent keeps a URL's own query for that), and what a failure says goes into the
    append-only audit trail, the incident and every export of them."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<a malformed URL>"
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}{parts.path}" if parts.scheme else f"{host}{parts.path}"


def without_urls(text: str, urls: Iterable[str], name: str) -> str:
    """``text`` (an httpx error's message) with each of ``urls`` written as ``name``: some
    messages quote the request's URL, query included (the HTTP agent's and the webhook
    notifier's failures; an empty URL is skipped)."""
    for url in urls:
        if url:
            text = text.replace(url, name)
    return text


def _query_params(inputs: Mapping[str, Any], url: str, where: str) -> dict[str, str]:
    """The call's parameters as query parameters (:func:`_query_value`), to join the URL's
    own query. A parameter named as a key of that query (compared case-insensitively, as
    some services read keys) is a :class:`PermanentApplicationError` naming it, whatever its
    value: the URL's query is the host's (an API key, a version), and a parameter, which a
    definition the host may not trust declares, replaced it. Neither dropping the parameter
    nor sending the key twice is right: a service reads either value of a repeated key."""
    own = {key.casefold() for key in httpx.URL(url).params}
    for name in inputs:
        if name.casefold() in own:
            raise PermanentApplicationError(
                f"{where}: parameter {name!r} is already set by the query of the binding's URL, "
                "which a parameter may not replace (it may hold the host's key or version): "
                "give the parameter another name, or take the key out of the binding's URL"
            )
    return {k: _query_value(k, v, where) for k, v in inputs.items() if v is not None}


def _with_params(url: str, params: Mapping[str, str] | None) -> httpx.URL:
    """``url`` with the call's parameters after its own query (an API key, a version, a
    signature), which is kept byte for byte: re-encoding it (``?flag`` as ``?flag=``,
    ``%20`` as ``+``, ``;`` or ``,`` escaped) would break a signed URL and send something
    other than the URL :func:`~wfengine.applications.agents.http_policy.allowed_url`
    checked. Only the parameters are encoded, as a form encodes them (``c d`` as ``c+d``)."""
    target = httpx.URL(url)
    if not params:
        return target
    added = str(httpx.QueryParams(params)).encode("ascii")
    own = target.query
    return target.copy_with(query=own + b"&" + added if own else added)


def _query_value(name: str, value: Any, where: str) -> str:
    """A parameter's value as query text: text, dates and times bare (ISO 8601), as a
    service reads ``?day=2030-01-05`` (a duration likewise: ``?wait=PT1H``); anything else
    (numbers, true/false, lists, records) as JSON. A parameter without a value (None) is
    left out of the query altogether."""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return iso_duration(value)
    return json_inputs({name: value}, where, whole=False)


def _body(response: httpx.Response, deadline: Deadline, most: int, where: str) -> bytes | None:
    """The answer's body, read as it streams in; None when the deadline passes first (the
    caller then closes the response, and with it the connection). A body longer than
    ``most`` bytes is a permanent failure, read no further (asking again gets the same)."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        deadline.check()
        if deadline.passed:
            return None
        size += len(chunk)
        if size > most:
            raise PermanentApplicationError(
                f"{where} answered more than {most:,} bytes (status {response.status_code}); "
                "read no further: the agent takes at most that (http_agent(max_answer=))"
            )
        chunks.append(chunk)
    return b"".join(chunks)  # complete: kept, even had the deadline come with its last byte


def _answer(
    where: str, response: httpx.Response, body: bytes, keep: frozenset[str] | None
) -> Mapping[str, Any] | None:
    status = response.status_code
    if 300 <= status < 400:  # not followed (see above): the service did nothing
        moved = response.headers.get("location")
        to = f" to {service_name(moved)}" if moved else ""
        raise HttpClientError(
            f"{where} answered {status} {response.reason_phrase} (a redirect{to}, not "
            "followed: point the binding at the service's own URL)",
            status,
        )
    if status >= 400:
        snippet = body[:800].decode(response.encoding or "utf-8", errors="replace")[:200]
        message = f"{where} answered {status} {response.reason_phrase}: {snippet}"
        if status < 500 and status not in _RETRYABLE_4XX:
            raise HttpClientError(message, status)
        error = HttpServerError(message, status)
        error.retry_after = answer_wait(response)  # (the binding's retry waits that long)
        raise error
    if status == 204 or not body.strip():
        return None
    try:
        answer = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise PermanentApplicationError(
            f"{where} answered {status} with non-JSON ({unreadable(body, exc)}); not shown: "
            "it may hold a secret"
        ) from None  # (a JSONDecodeError keeps the whole text as its .doc)
    if not isinstance(answer, dict):
        raise PermanentApplicationError(
            f"{where} answered a JSON {type(answer).__name__}, expected an object of OUT parameters"
        )
    if keep is not None:
        answer = {k: v for k, v in answer.items() if k in keep}
    return answer


def unreadable(answer: str | bytes, exc: BaseException) -> str:
    """Why ``answer`` could not be read as JSON, without a character of it: its size and
    where reading failed. An answer may hold the value of a sensitive OUT parameter, and an
    agent is not told which parameters are sensitive, so a malformed one is never quoted
    (the failure's text goes into the append-only audit trail and the incident). The JSON
    reader's message is cut at its first colon: ``Invalid \\escape: 'x'`` quotes the answer."""
    unit = "bytes" if isinstance(answer, bytes) else "characters"
    size = f"{len(answer):,} {unit}"
    if isinstance(exc, json.JSONDecodeError):
        why = exc.msg.partition(":")[0]
        return f"{size}; {why} at line {exc.lineno}, column {exc.colno}"
    if isinstance(exc, RecursionError):
        return f"{size}; nested too deeply to read"
    return f"{size}; not JSON text ({type(exc).__name__})"  # (bytes not in UTF-8/16/32)


#: the settings of a definition the HTTP agent's factory reads (and ``header:NAME``)
_SETTINGS = ("url", "method", "outputs")


def http_agent_factory(
    allowed_prefixes: Sequence[str],
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float = 30.0,
    transport: httpx.BaseTransport | None = None,
    definition_headers: Iterable[str] | None = None,
    max_answer: int = MAX_ANSWER,
) -> AgentFactory:
    """A factory for ``registry.allow_agent("http", ...)`` (rules in the module doc).

    Definitions give ``wfengine:url`` (under one of ``allowed_prefixes`` once normalised, so
    an untrusted definition cannot make the engine call arbitrary hosts or paths),
    ``wfengine:method``, ``wfengine:outputs`` (space separated keys to keep) and
    ``wfengine:header:NAME`` headers, NAME one of ``definition_headers`` (default
    :data:`~wfengine.applications.agents.http_policy.DEFAULT_DEFINITION_HEADERS`). ``headers`` are
    the host's own (say, credentials) and win over the definition's. Raises ValueError for a
    prefix that is not a plain http(s) URL (userinfo, query and fragment are refused) and
    for a ``definition_headers`` entry a definition may never set. ``timeout`` and
    ``max_answer`` are as for :func:`http_agent`, checked here.
    """
    check_limits("http_agent_factory", timeout, max_answer)
    if not isinstance(allowed_prefixes, str | Iterable):
        raise TypeError(
            "http_agent_factory: allowed_prefixes must be a URL prefix or a list of them, "
            f"not {allowed_prefixes!r}"
        )
    texts = [allowed_prefixes] if isinstance(allowed_prefixes, str) else list(allowed_prefixes)
    prefixes = tuple(URLPrefix.parse(text) for text in texts)
    if not prefixes:
        raise ValueError("http_agent_factory needs at least one allowed URL prefix")
    host_headers = merge_headers(headers or {})
    for name, value in host_headers.items():
        check_header(name, value)
    listed = DEFAULT_DEFINITION_HEADERS if definition_headers is None else definition_headers
    listed = [listed] if isinstance(listed, str) else list(listed)
    policy = definition_header_policy(listed)

    def factory(settings: Mapping[str, str]) -> ApplicationFunc:
        refuse_unknown("HTTP", settings, _SETTINGS, prefixes=("header:",))  # (misspelt ones)
        url = allowed_url(settings.get("url", ""), prefixes)
        given = {
            k.removeprefix("header:"): v for k, v in settings.items() if k.startswith("header:")
        }
        from_definition = checked_definition_headers(given, policy, listed=listed)
        outputs = settings.get("outputs")
        return http_agent(
            url,
            method=settings.get("method", "POST"),
            headers=merge_headers(from_definition, host_headers),
            timeout=timeout,
            outputs=outputs.split() if outputs else None,
            transport=transport,
            max_answer=max_answer,
        )

    return factory
