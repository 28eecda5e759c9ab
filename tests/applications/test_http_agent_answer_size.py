"""An HTTP answer is read up to ``max_answer`` bytes (16 MiB by default), no further: a
service answering without end filled the engine's memory (the body was read whole, however
large, and then went into instance data). Past the limit the call fails for good, naming the
service and the limit, and a retry is not made (the same service would answer the same)."""

from __future__ import annotations

import re

import httpx
import pytest

from wfengine import PermanentApplicationError
from wfengine.applications.agents import http_agent, http_agent_factory
from wfengine.applications.agents.http_json import MAX_ANSWER


def _answering(body: bytes) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(200, content=body))


def test_an_answer_past_the_limit_is_a_permanent_failure_naming_it() -> None:
    call = http_agent(
        "https://svc.example/big",
        transport=_answering(b'{"x": "' + b"a" * 2000 + b'"}'),
        max_answer=1000,
    )
    with pytest.raises(
        PermanentApplicationError,
        match=r"POST https://svc.example/big answered "
        r"more than 1,000 bytes \(status 200\); read no further",
    ):
        call(n=1)


def test_an_answer_within_the_limit_is_read() -> None:
    body = b'{"x": "' + b"a" * 900 + b'"}'
    call = http_agent("https://svc.example/ok", transport=_answering(body), max_answer=1000)
    assert call(n=1) == {"x": "a" * 900}


def test_the_default_limit_is_sixteen_mebibytes() -> None:
    assert MAX_ANSWER == 16 * 2**20
    big = b'{"x": "' + b"a" * MAX_ANSWER + b'"}'
    with pytest.raises(PermanentApplicationError, match="more than 16,777,216 bytes"):
        http_agent("https://svc.example/huge", transport=_answering(big))(n=1)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"max_answer": 0}, ValueError, "max_answer must be at least 1 byte, not 0"),
        ({"max_answer": -5}, ValueError, "max_answer must be at least 1 byte"),
        ({"max_answer": 1.5}, TypeError, "max_answer must be a whole number of bytes, not 1.5"),
        ({"max_answer": True}, TypeError, "max_answer must be a whole number"),
        ({"timeout": 0}, ValueError, "timeout must be a positive number of seconds, not 0"),
        ({"timeout": float("nan")}, ValueError, "timeout must be a positive number"),
        ({"timeout": float("inf")}, ValueError, "timeout must be a positive number"),
        ({"timeout": "30"}, TypeError, "timeout must be a number of seconds, not '30'"),
    ],
)
def test_a_limit_that_cannot_work_is_refused_when_the_agent_is_made(
    kwargs: dict[str, object], error: type[Exception], words: str
) -> None:
    """A zero limit refused every answer, found only at the first call, far from the line
    that set it; a NaN timeout never timed out."""
    with pytest.raises(error, match=re.escape(words)):
        http_agent("https://svc.example/x", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(error, match=re.escape(words)):
        http_agent_factory(["https://svc.example/"], **kwargs)  # type: ignore[arg-type]


def test_definitions_calls_take_the_factorys_answer_limit() -> None:
    """The factory had no ``max_answer``: calls a definition set up always read 16 MiB."""
    factory = http_agent_factory(
        ["https://svc.example/"],
        transport=_answering(b'{"x": "' + b"a" * 2000 + b'"}'),
        max_answer=1000,
    )
    call = factory({"url": "https://svc.example/big"})
    with pytest.raises(PermanentApplicationError, match=r"more than 1,000 bytes"):
        call(n=1)
