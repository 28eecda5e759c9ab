"""``subprocess_agent`` and ``subprocess_agent_factory`` refuse, when made, settings that would
fail every call, naming the setting and what it takes: an ``env`` that does not map names to
text, a ``cwd`` that is no path, an empty argv, and a command table that is not a mapping of
names to argv lists.

Before (a QA pass, repro_settings.py): ``env={"LEVEL": 5}`` and ``cwd=5`` failed every call
with a bare ``TypeError``, retried as the program's failure; ``subprocess_agent_factory(
{"notify": []})`` failed every call of the definitions naming ``notify`` as "the definition's
settings", and ``subprocess_agent_factory([["/bin/true"]])`` with ``AttributeError: 'list'
object has no attribute 'items'``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from wfengine import subprocess_agent, subprocess_agent_factory

_PRINT_CWD = [sys.executable, "-c", "import json, os; print(json.dumps({'cwd': os.getcwd()}))"]


@pytest.mark.parametrize(
    ("env", "error", "said"),
    [
        ({"LEVEL": 5}, TypeError, r"env\['LEVEL'\] must be text \(write '5'\), not int"),
        ({"LEVEL": None}, TypeError, r"env\['LEVEL'\] must be text"),
        ({"LEVEL": "a\0b"}, ValueError, r"env\['LEVEL'\] holds a NUL byte"),
        ({5: "x"}, ValueError, "env name 5 is no environment variable name"),
        ({"A=B": "x"}, ValueError, "env name 'A=B' is no environment variable name"),
        ({"": "x"}, ValueError, "env name '' is no environment variable name"),
        ("LEVEL=5", TypeError, "env must be a mapping of variable names to text"),
        ([("LEVEL", "5")], TypeError, "env must be a mapping of variable names to text"),
    ],
)
def test_an_env_that_does_not_map_names_to_text_is_refused_when_made(
    env: Any, error: type[Exception], said: str
) -> None:
    with pytest.raises(error, match=rf"^subprocess_agent: {said}"):
        subprocess_agent(["/bin/true"], env=env)


@pytest.mark.parametrize("cwd", [5, b"/tmp", ["/tmp"]])
def test_a_cwd_that_is_no_path_is_refused_when_made(cwd: Any) -> None:
    with pytest.raises(TypeError, match=r"^subprocess_agent: cwd must be a directory's path"):
        subprocess_agent(["/bin/true"], cwd=cwd)


def test_a_cwd_given_as_a_path_and_env_given_as_text_still_run(tmp_path: Path) -> None:
    agent = subprocess_agent(_PRINT_CWD, cwd=tmp_path, env={"LEVEL": "5"})
    assert agent() == {"cwd": str(tmp_path)}


@pytest.mark.parametrize(
    ("argv", "error", "said"),
    [
        ([], ValueError, "argv is empty: it needs a program to run"),
        ({"prog": "/bin/true"}, TypeError, "argv must be a list"),
    ],
)
def test_an_empty_argv_is_refused_naming_it(argv: Any, error: type[Exception], said: str) -> None:
    with pytest.raises(error, match=rf"^subprocess_agent: {said}"):
        subprocess_agent(argv)


@pytest.mark.parametrize(
    ("commands", "error", "said"),
    [
        ({"notify": []}, ValueError, "command 'notify' is empty: it needs a program to run"),
        ({"notify": "/bin/true"}, TypeError, "command 'notify' must be a list"),
        ({"notify": 5}, TypeError, "command 'notify' must be a list"),
        ([["/bin/true"]], TypeError, "commands must be a mapping of the names definitions use"),
        ("/bin/true", TypeError, "commands must be a mapping"),
        ({5: ["/bin/true"]}, TypeError, "a command's name must be non-empty text"),
        ({"": ["/bin/true"]}, TypeError, "a command's name must be non-empty text"),
    ],
)
def test_a_command_table_that_cannot_work_is_refused_when_made(
    commands: Any, error: type[Exception], said: str
) -> None:
    with pytest.raises(error, match=rf"^subprocess_agent_factory: {said}"):
        subprocess_agent_factory(commands)


def test_a_good_table_still_makes_its_agents() -> None:
    factory = subprocess_agent_factory({"where": _PRINT_CWD})
    assert "cwd" in factory({"command": "where"})()
