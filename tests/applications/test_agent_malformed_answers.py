"""An answer the subprocess or HTTP agent cannot read as JSON is told by its size and where
reading failed, never quoted: it may hold the value of a sensitive OUT parameter, the agent
is not told which parameters are sensitive, and the failure's text goes into the
append-only audit trail and the incident."""

from __future__ import annotations

import sys

import httpx
import pytest

from wfengine.applications.agents import (
    http_agent,
    subprocess_agent,
    subprocess_agent_factory,
)
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import PermanentApplicationError
from wfengine.runtime.engine import Engine

_SECRET = "tok-SECRET-9f8e7d6c5b4a"


def _printing(text: str) -> list[str]:
    code = f"import sys; sys.stdin.read(); sys.stdout.write({text!r})"
    return [sys.executable, "-c", code]


def test_a_sensitive_out_value_printed_as_a_python_dict_stays_out_of_trail_and_incident() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("token", "STRING", extended={"wfengine:sensitive": "true"})
    p.application(
        "mint",
        params=[("token", "OUT", "STRING")],
        extended={
            "wfengine:agent": "subprocess",
            "wfengine:command": "mint",
            "wfengine:sensitive": "token",
        },
    )
    p.activity("call", tool="mint", args=["token"])
    engine = Engine()
    argv = _printing(repr({"token": _SECRET}) + "\n")
    engine.applications.allow_agent("subprocess", subprocess_agent_factory({"mint": argv}))
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    failed = [e for e in engine.audit(iid) if e.kind == "application.failed"]
    [incident] = engine.incidents(iid)
    assert failed and incident.message
    for text in [str(e.detail) for e in engine.audit(iid)] + [incident.message]:
        assert "SECRET" not in text
    assert "non-JSON (36 characters; Expecting property name" in incident.message
    assert "at line 1, column 2" in incident.message


@pytest.mark.parametrize(
    "printed",
    [
        f"{{'token': '{_SECRET}'}}",  # a Python dict
        f'{{"token": "\\x{_SECRET}"}}',  # an escape JSON has not (its reader quotes it)
        f'{{"token": "{_SECRET}"}} trailing',
        "[" * 100_000 + _SECRET,  # deeper than the JSON reader goes (not a RecursionError)
    ],
)
def test_the_subprocess_agent_never_quotes_an_answer_it_cannot_read(printed: str) -> None:
    with pytest.raises(PermanentApplicationError, match="non-JSON") as caught:
        subprocess_agent(_printing(printed))()
    message = str(caught.value)
    assert "SECRET" not in message and "\\x" not in message
    assert f"{len(printed):,} characters" in message
    assert caught.value.__cause__ is None  # a JSONDecodeError would keep the text as .doc


@pytest.mark.parametrize(
    "body",
    [f"{{'token': '{_SECRET}'}}".encode(), b"[" * 100_000, b"\xff\xfe\x00" + _SECRET.encode()],
)
def test_the_http_agent_never_quotes_a_2xx_answer_it_cannot_read(body: bytes) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    call = http_agent("http://svc.test/mint", transport=transport)
    with pytest.raises(PermanentApplicationError, match="answered 200 with non-JSON") as caught:
        call()
    message = str(caught.value)
    assert "SECRET" not in message and f"{len(body):,} bytes" in message
    assert caught.value.__cause__ is None
