"""An HTTP answer is read up to ``max_answer`` bytes (16 MiB by default), no further: a
service answering without end filled the engine's memory (the body was read whole, however
large, and then went into instance data). Past the limit the call fails for good, naming the
service and the limit, and a retry is not made (the same service would answer the same)."""

from __future__ import annotations

import httpx
import pytest

from wfengine import PermanentApplicationError
from wfengine.applications.agents import http_agent
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
