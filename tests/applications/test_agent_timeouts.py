"""A call's timeout reaches the agents that can stop their own work: the subprocess agent kills
its program at the binding's timeout, so the program never finishes its side effect after the
call was recorded as failed, and a retry never runs beside an earlier copy."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from wfengine.applications.agents import email_agent, http_agent, subprocess_agent
from wfengine.applications.agents.subprocesses import subprocess_agent_factory
from wfengine.applications.stoppable import bounded
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import ApplicationTimeoutError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine

#: records its pid (one line per run), blocks far longer than any timeout here, then charges
CHARGE = """
import os, sys, time
here = sys.argv[1]
with open(os.path.join(here, "pids"), "a") as f:
    f.write(f"{os.getpid()}\\n")
time.sleep(60)
open(os.path.join(here, f"charged-{os.getpid()}"), "w").close()
print("{}")
"""


@pytest.fixture
def charge(tmp_path: Path) -> Iterator[list[str]]:
    """The program's argv; whatever copy is still running at the end is killed."""
    script = tmp_path / "charge.py"
    script.write_text(CHARGE)
    yield [sys.executable, str(script), str(tmp_path)]
    for pid in _pids(tmp_path):
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def _pids(here: Path) -> list[int]:
    found = here / "pids"
    return [int(line) for line in found.read_text().split()] if found.exists() else []


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still exists (the agent reaps its program: a killed one is gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_shorter_timeout_given_to_the_agent_kills_the_program(
    charge: list[str], tmp_path: Path
) -> None:
    call = bounded(subprocess_agent(charge, timeout=60.0), 1.0)
    assert call is not None
    with pytest.raises(ApplicationTimeoutError, match=r"within 1 s; the program was killed"):
        call(amount=5)
    [pid] = _pids(tmp_path)  # it ran, and when the call failed it was gone already
    assert not _alive(pid)
    assert not list(tmp_path.glob("charged-*"))


def test_the_agent_keeps_its_own_timeout_when_it_is_the_smaller(charge: list[str]) -> None:
    call = bounded(subprocess_agent(charge, timeout=0.5), 3600.0)
    assert call is not None
    with pytest.raises(ApplicationTimeoutError, match=r"within 0\.5 s"):
        call(amount=5)


def test_agents_that_can_stop_their_work_say_so_and_others_do_not() -> None:
    assert bounded(http_agent("https://example.org/api"), 1.0) is not None
    assert bounded(email_agent("mx", sender="wf@example.org"), 1.0) is not None
    factory = subprocess_agent_factory({"charge": [sys.executable, "-c", "pass"]})
    assert bounded(factory({"command": "charge"}), 1.0) is not None

    def plain(amount: int) -> None:
        return None

    assert bounded(plain, 1.0) is None


def _package(declared: bool) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("amount", "INTEGER", initial="5")
    extended = (
        {
            "wfengine:agent": "subprocess",
            "wfengine:command": "charge",
            "wfengine:timeout": "1",
            "wfengine:retries": "2",
        }
        if declared
        else None
    )
    p.application("charge", params=[("amount", "IN", "INTEGER")], extended=extended)
    p.activity("call", tool="charge", args=["amount"])
    return pb


@pytest.mark.parametrize("declared", [True, False], ids=["wfengine:timeout", "register"])
def test_no_copy_of_a_timed_out_program_runs_on(
    charge: list[str], tmp_path: Path, declared: bool
) -> None:
    engine = Engine(clock=VirtualClock())
    engine.applications.sleep = lambda seconds: None
    if declared:
        factory = subprocess_agent_factory({"charge": charge})
        engine.applications.allow_agent("subprocess", factory)
    else:
        engine.applications.register("charge", subprocess_agent(charge), timeout=1, retries=2)
    engine.deploy(_package(declared).build())
    iid = engine.start_process("main")
    [incident] = engine.incidents(iid)
    assert "the program was killed (attempt 3 of 3)" in incident.message
    pids = _pids(tmp_path)
    assert len(pids) == 3  # three attempts, each copy gone before the next began
    assert not [pid for pid in pids if _alive(pid)]
    assert not list(tmp_path.glob("charged-*"))
