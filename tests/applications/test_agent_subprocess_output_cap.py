"""The subprocess agent reads what a program prints up to ``max_answer`` bytes (16 MiB by
default, as the HTTP agent reads an answer): a program printing more is killed and the call
fails for good, saying the limit and how to raise it; of stderr only the end is kept.

Before, the agent read a program's whole stdout and stderr into memory: a program printing
200 MB (a loop, a verbose input) cost the engine's process about 400 MB.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from wfengine.applications.agents import (
    ProcessFailedError,
    subprocess_agent,
    subprocess_agent_factory,
)
from wfengine.applications.agents.http_json import MAX_ANSWER
from wfengine.applications.agents.subprocesses import STDERR_TAIL
from wfengine.errors import PermanentApplicationError


def _program(tmp_path: Path, code: str) -> list[str]:
    script = tmp_path / "tool.py"
    script.write_text(code)
    return [sys.executable, str(script)]


def test_a_program_printing_without_end_is_killed_at_the_limit(tmp_path: Path) -> None:
    """Were it not killed, the call would end only at its timeout (60 s), as a timeout."""
    argv = _program(tmp_path, "import sys\nwhile True:\n    sys.stdout.write('x' * 512)\n")
    call = subprocess_agent(argv, max_answer=1000)
    with pytest.raises(PermanentApplicationError) as caught:
        call()
    message = str(caught.value)
    assert "printed more than 1,000 bytes; it was killed" in message
    assert "subprocess_agent(max_answer=)" in message


def test_an_answer_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    answer = '{"a": "' + "x" * (1000 - 9) + '"}'
    assert len(answer) == 1000
    argv = _program(tmp_path, f"import sys\nsys.stdout.write({answer!r})\n")
    assert subprocess_agent(argv, max_answer=1000)() == {"a": "x" * 991}


def test_a_failed_program_is_told_by_the_end_of_a_long_stderr(tmp_path: Path) -> None:
    code = "import sys\nsys.stderr.write('e' * 300_000 + 'THE END')\nsys.exit(2)\n"
    with pytest.raises(ProcessFailedError, match=r"status 2: e+THE END$") as caught:
        subprocess_agent(_program(tmp_path, code), max_answer=1000)()
    assert caught.value.returncode == 2


def test_a_long_stderr_and_a_long_stdin_do_not_stop_a_program_that_succeeds(
    tmp_path: Path,
) -> None:
    """stdin, stdout and stderr are served at once: none waits for another to be drained."""
    code = (
        "import json, sys\n"
        "sys.stderr.write('w' * 300_000)\n"
        "given = json.load(sys.stdin)\n"
        "print(json.dumps({'n': len(given['text'])}))\n"
    )
    call = subprocess_agent(_program(tmp_path, code), max_answer=1000)
    assert call(text="t" * 300_000) == {"n": 300_000}


def test_a_program_that_does_not_read_its_stdin_still_answers(tmp_path: Path) -> None:
    argv = _program(tmp_path, "print('{\"ok\": true}')\n")
    assert subprocess_agent(argv)(text="t" * 300_000) == {"ok": True}


def test_the_limit_and_the_kept_stderr_are_bounded_by_default() -> None:
    assert MAX_ANSWER == 16 * 2**20
    assert STDERR_TAIL <= 4096


def test_the_factory_passes_its_limit_on(tmp_path: Path) -> None:
    argv = _program(tmp_path, "import sys\nsys.stdout.write('x' * 2000)\n")
    factory = subprocess_agent_factory({"tool": argv}, max_answer=1000)
    with pytest.raises(PermanentApplicationError, match="printed more than 1,000 bytes"):
        factory({"command": "tool"})()


@pytest.mark.parametrize(
    "make",
    [
        lambda: subprocess_agent(["/bin/echo"], max_answer=0),
        lambda: subprocess_agent_factory({"e": ["/bin/echo"]}, max_answer=0),
    ],
)
def test_an_unusable_limit_is_refused_when_the_agent_is_made(make: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match="max_answer must be at least 1 byte, not 0"):
        make()
