"""The subprocess agent reads the program's answer as JSON in UTF-8, whatever the locale, and
its stderr only for a message: a byte that is not UTF-8 never fails a program that succeeded,
never hides a failed one's exit status, and an answer that is not UTF-8 is a permanent error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wfengine.applications.agents import ProcessFailedError, subprocess_agent
from wfengine.errors import PermanentApplicationError


def _program(tmp_path: Path, code: str) -> list[str]:
    script = tmp_path / "tool.py"
    script.write_text(code)
    return [sys.executable, str(script)]


def test_a_warning_in_latin_1_on_stderr_does_not_fail_a_program_that_succeeded(
    tmp_path: Path,
) -> None:
    argv = _program(
        tmp_path,
        "import sys\n"
        "sys.stderr.buffer.write(b'Warnung: Gr\\xf6\\xdfe\\n')\n"
        "print('{\"total\": 2}')\n",
    )
    assert subprocess_agent(argv)() == {"total": 2}


def test_a_failed_program_keeps_its_exit_status_whatever_its_stderr(tmp_path: Path) -> None:
    argv = _program(
        tmp_path,
        "import sys\nsys.stderr.buffer.write(b'Fehler: Datei fehlt \\xe4\\n')\nsys.exit(3)\n",
    )
    with pytest.raises(ProcessFailedError, match="status 3: Fehler: Datei fehlt \ufffd") as info:
        subprocess_agent(argv)()
    assert info.value.returncode == 3


def test_an_answer_not_in_utf_8_is_permanent_and_names_the_program(tmp_path: Path) -> None:
    argv = _program(tmp_path, "import sys\nsys.stdout.buffer.write(b'{\"total\": 1}\\xff')\n")
    with pytest.raises(PermanentApplicationError, match="printed output that is not UTF-8") as e:
        subprocess_agent(argv)()
    assert sys.executable in str(e.value)


def test_a_byte_order_mark_before_the_answer_is_dropped(tmp_path: Path) -> None:
    argv = _program(tmp_path, "import sys\nsys.stdout.buffer.write(b'\\xef\\xbb\\xbf{\"a\": 1}')\n")
    assert subprocess_agent(argv)() == {"a": 1}


def test_an_answer_in_utf_8_is_read_as_such_under_the_c_locale(tmp_path: Path) -> None:
    tool = _program(
        tmp_path, 'import sys\nsys.stdout.buffer.write(b\'{"name": "M\\xc3\\xbcller"}\')\n'
    )
    host = (
        "from wfengine.applications.agents import subprocess_agent\n"
        f"print(ascii(subprocess_agent({tool!r})()))\n"
    )
    # the engine's host process under LC_ALL=C, Python's UTF-8 mode and locale coercion off:
    # its locale's codec is ASCII
    env = {**os.environ, "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    done = subprocess.run(
        [sys.executable, "-c", host], capture_output=True, env=env, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert done.stdout.decode().strip() == ascii({"name": "Müller"})
