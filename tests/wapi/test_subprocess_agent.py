"""The subprocess agent: argv only (no shell), JSON on stdin/stdout, a timeout, host-enabled."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import ApplicationTimeoutError, PermanentApplicationError
from wfengine.runtime.engine import Engine
from wfengine.wapi.agents import ProcessFailedError, subprocess_agent, subprocess_agent_factory

SCRIPT = """
import json, os, sys, time
inputs = json.load(sys.stdin)
if inputs.get("mode") == "fail":
    sys.stderr.write("it broke")
    sys.exit(3)
if inputs.get("mode") == "hang":
    time.sleep(30)
if inputs.get("mode") == "garbage":
    print("not json")
    sys.exit(0)
print(json.dumps({"out": f"{inputs['mode']}:{os.environ.get('WFENGINE_IDEMPOTENCY_KEY')}"}))
"""


@pytest.fixture
def argv(tmp_path: Path) -> list[str]:
    script = tmp_path / "tool.py"
    script.write_text(SCRIPT)
    return [sys.executable, str(script)]


def test_json_in_and_out_with_the_key_in_the_environment(argv: list[str]) -> None:
    call = subprocess_agent(argv)
    assert call(mode="ok; rm -rf /", idempotency_key="k-1") == {"out": "ok; rm -rf /:k-1"}


def test_failures(argv: list[str]) -> None:
    with pytest.raises(ProcessFailedError, match="status 3: it broke"):
        subprocess_agent(argv)(mode="fail")
    with pytest.raises(PermanentApplicationError, match="non-JSON"):
        subprocess_agent(argv)(mode="garbage")
    with pytest.raises(ApplicationTimeoutError, match="killed"):
        subprocess_agent(argv, timeout=0.5)(mode="hang")


def test_definitions_pick_a_host_command_by_name_only(engine: Engine, argv: list[str]) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("mode", "STRING", initial="'run'").data_field("result", "STRING")
    p.application(
        "tool",
        params=[("mode", "IN", "STRING"), ("out", "OUT", "STRING")],
        extended={"wfengine:agent": "subprocess", "wfengine:command": "mytool"},
    )
    p.activity("call", tool="tool", args=["mode", "result"])
    iid = run(engine, pb)  # not enabled: an incident, nothing ran
    [incident] = engine.incidents(iid)
    assert "not enabled" in incident.message and engine.instance(iid).data["result"] is None

    engine.applications.allow_agent("subprocess", subprocess_agent_factory({"mytool": argv}))
    engine.retry_incident(incident.id)
    assert engine.instance(iid).data["result"].startswith("run:" + iid)

    with pytest.raises(ValueError, match="not offered"):
        subprocess_agent_factory({"mytool": argv})({"command": "/bin/sh"})
