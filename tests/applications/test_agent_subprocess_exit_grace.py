"""How long an exited program's stdout is read while a child it started holds it open is the
host's to set (``exit_grace``): an answer a wrapper's child printed more than the fixed 2 s
after the program exited was lost (no outputs while the child still worked, or an incident).
And the timeout settles an exited program only when it printed nothing: a half-printed answer
at the timeout was refused for good, where it is the timeout's error, retried."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from wfengine.applications.agents import subprocess_agent, subprocess_agent_factory
from wfengine.applications.agents.subprocesses import EXIT_GRACE
from wfengine.errors import ApplicationTimeoutError, PermanentApplicationError

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")


def _wrapper(child_pid_file: Path, child: str) -> list[str]:
    """A shell that starts ``child`` (holding its stdout) and exits at once."""
    return ["/bin/sh", "-c", f"( {child} ) & echo $! > '{child_pid_file}'"]


#: the child waits until the agent has seen the shell exit (and reaped it), then longer than
#: the default grace, then answers
_LATE = "while kill -0 $$ 2>/dev/null; do sleep 0.01; done; sleep " + f"{EXIT_GRACE + 1:g}"


def test_an_answer_later_than_the_default_grace_is_read_with_exit_grace_none(
    child_pid_file: Path,
) -> None:
    argv = _wrapper(child_pid_file, f"""{_LATE}; echo '{{"y": 6}}'; exec sleep 30""")
    assert subprocess_agent(argv, timeout=30, exit_grace=None)() == {"y": 6}


def test_the_factory_takes_exit_grace_for_its_commands(child_pid_file: Path) -> None:
    argv = _wrapper(child_pid_file, f"""{_LATE}; echo '{{"y": 6}}'""")
    factory = subprocess_agent_factory({"wrapped": argv}, timeout=30, exit_grace=EXIT_GRACE * 5)
    assert factory({"command": "wrapped"})() == {"y": 6}


def test_with_exit_grace_none_nothing_printed_by_the_timeout_is_the_timeout(
    child_pid_file: Path,
) -> None:
    # the child may still be working at it: retried, not "no outputs"
    call = subprocess_agent(_wrapper(child_pid_file, "exec sleep 30"), timeout=1, exit_grace=None)
    with pytest.raises(ApplicationTimeoutError, match="no answer within 1 s"):
        call()


def test_a_half_printed_answer_at_the_timeout_is_the_timeout_not_refused(
    child_pid_file: Path,
) -> None:
    # the grace (2 s) outlasts the timeout: the answer may still be finished; it was refused
    # for good as non-JSON (PermanentApplicationError), never retried
    child = """printf '{"y":'; exec sleep 30"""
    call = subprocess_agent(_wrapper(child_pid_file, child), timeout=EXIT_GRACE * 0.75)
    with pytest.raises(ApplicationTimeoutError, match="no answer within"):
        call()


def test_a_half_printed_answer_quiet_for_the_whole_grace_is_refused_for_good(
    child_pid_file: Path,
) -> None:
    child = """printf '{"y":'; exec sleep 30"""
    call = subprocess_agent(_wrapper(child_pid_file, child), timeout=30, exit_grace=0.5)
    with pytest.raises(PermanentApplicationError, match="printed non-JSON"):
        call()


@pytest.mark.parametrize(
    ("grace", "error"),
    [
        (0, ValueError),
        (-1.0, ValueError),
        (math.nan, ValueError),
        (math.inf, ValueError),
        ("2", TypeError),
        (True, TypeError),
    ],
)
def test_an_exit_grace_that_cannot_work_is_refused_when_made(grace: object, error: type) -> None:
    with pytest.raises(error, match=r"subprocess_agent: exit_grace must be .* or None"):
        subprocess_agent(["true"], exit_grace=grace)  # type: ignore[arg-type]
    with pytest.raises(error, match=r"subprocess_agent_factory: exit_grace must be"):
        subprocess_agent_factory({"t": ["true"]}, exit_grace=grace)  # type: ignore[arg-type]
