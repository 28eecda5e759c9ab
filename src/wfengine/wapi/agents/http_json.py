"""The HTTP/JSON agent: one request per call, IN parameters out as JSON, OUT parameters back.

A POST/PUT/PATCH sends the IN and INOUT parameters as a JSON object (dates as ISO 8601 text);
GET/DELETE send them as query parameters. Every request carries the header
``Idempotency-Key``, the same on every attempt of one activity's call, so the server can
recognise a retry. A 2xx answer must be a JSON object (or empty: no outputs); ``outputs``
picks the keys to keep when the service answers with more than the application's OUT
parameters.

Failures and retrying: 4xx (except 408 and 429) raise :class:`HttpClientError`, a permanent
error that is never retried: the request itself is wrong. 5xx, 408 and 429 raise
:class:`HttpServerError`, network errors an ``ApplicationError``, and a timeout
:class:`~wfengine.errors.ApplicationTimeoutError`; those are retried while retries remain.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

import httpx

from wfengine.errors import ApplicationError, ApplicationTimeoutError, PermanentApplicationError
from wfengine.runtime.applications import AgentFactory, ApplicationFunc

IDEMPOTENCY_HEADER = "Idempotency-Key"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_RETRYABLE_4XX = frozenset({408, 429})


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


def json_default(value: Any) -> Any:
    """JSON for what the engine's data holds beyond JSON: dates and times as ISO 8601."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def http_agent(
    url: str,
    *,
    method: str = "POST",
    headers: Mapping[str, str] | None = None,
    timeout: float = 30.0,
    outputs: Iterable[str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> ApplicationFunc:
    """A callable sending one ``method`` request to ``url`` per call (see the module doc).

    ``timeout`` bounds connecting and each read (httpx's timeout); the binding's timeout, if
    any, bounds the whole attempt. ``transport`` is for tests and proxies.
    """
    verb = method.upper()
    fixed = dict(headers or {})
    keep = frozenset(outputs) if outputs is not None else None

    def call(*, idempotency_key: str | None = None, **inputs: Any) -> Mapping[str, Any] | None:
        sent = dict(fixed)
        sent.setdefault("Accept", "application/json")
        if idempotency_key is not None:
            sent[IDEMPOTENCY_HEADER] = idempotency_key
        content: bytes | None = None
        params: dict[str, str] | None = None
        if verb in _BODY_METHODS:
            content = json.dumps(inputs, default=json_default).encode()
            sent.setdefault("Content-Type", "application/json")
        else:
            params = {k: _query_value(v) for k, v in inputs.items()}
        try:
            with httpx.Client(timeout=timeout, transport=transport) as client:
                response = client.request(verb, url, content=content, params=params, headers=sent)
        except httpx.TimeoutException as exc:
            raise ApplicationTimeoutError(f"{verb} {url}: no answer within {timeout:g} s") from exc
        except httpx.HTTPError as exc:
            raise ApplicationError(f"{verb} {url}: {type(exc).__name__}: {exc}") from exc
        return _answer(verb, url, response, keep)

    call.__name__ = f"http_{verb.lower()}"
    return call


def _query_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, default=json_default)


def _answer(
    verb: str, url: str, response: httpx.Response, keep: frozenset[str] | None
) -> Mapping[str, Any] | None:
    status = response.status_code
    where = f"{verb} {url}"
    if status >= 400:
        snippet = response.text[:200]
        message = f"{where} answered {status} {response.reason_phrase}: {snippet}"
        if status < 500 and status not in _RETRYABLE_4XX:
            raise HttpClientError(message, status)
        raise HttpServerError(message, status)
    if status == 204 or not response.content.strip():
        return None
    try:
        body = response.json()
    except ValueError as exc:
        raise PermanentApplicationError(f"{where} answered {status} with non-JSON") from exc
    if not isinstance(body, dict):
        raise PermanentApplicationError(
            f"{where} answered a JSON {type(body).__name__}, expected an object of OUT parameters"
        )
    if keep is not None:
        body = {k: v for k, v in body.items() if k in keep}
    return body


def http_agent_factory(
    allowed_prefixes: Sequence[str],
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float = 30.0,
    transport: httpx.BaseTransport | None = None,
) -> AgentFactory:
    """A factory for ``registry.allow_agent("http", ...)``: definitions give ``wfengine:url``
    (which must start with one of ``allowed_prefixes``, so an untrusted definition cannot make
    the engine call arbitrary hosts), ``wfengine:method``, ``wfengine:outputs`` (space
    separated keys to keep) and ``wfengine:header:NAME`` headers; ``headers`` are the host's
    own (say, credentials) and win over the definition's."""
    prefixes = tuple(allowed_prefixes)
    if not prefixes:
        raise ValueError("http_agent_factory needs at least one allowed URL prefix")

    def factory(settings: Mapping[str, str]) -> ApplicationFunc:
        url = settings.get("url", "")
        if not any(url.startswith(p) for p in prefixes):
            raise ValueError(f"URL {url!r} is outside the allowed prefixes {list(prefixes)}")
        given = {
            k.removeprefix("header:"): v for k, v in settings.items() if k.startswith("header:")
        }
        given.update(headers or {})
        outputs = settings.get("outputs")
        return http_agent(
            url,
            method=settings.get("method", "POST"),
            headers=given,
            timeout=timeout,
            outputs=outputs.split() if outputs else None,
            transport=transport,
        )

    return factory
