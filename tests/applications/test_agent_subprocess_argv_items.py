"""``subprocess_agent`` and ``subprocess_agent_factory`` take an argv's items as text, paths
(``os.PathLike``) or bytes (decoded as ``os.fsdecode`` does, as ``Popen`` takes them), and
refuse anything else when made, naming ``argv[i]`` and its type, as they refuse an ``env`` or
a ``cwd`` that cannot work.

Before (a QA pass, f4_argv.py): each item was made text with ``str``:
``subprocess_agent([b"/bin/echo", ...])`` ran the program ``"b'/bin/echo'"``, failing every
call and using up every retry, and ``["/bin/echo", None]`` ran ``echo None``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from wfengine import subprocess_agent, subprocess_agent_factory

#: prints its arguments after the program's as the JSON object {"args": [...]}
_ECHO = "import json, sys; print(json.dumps({'args': sys.argv[1:]}))"


def test_bytes_and_paths_are_the_program_and_arguments_they_name(tmp_path: Path) -> None:
    agent = subprocess_agent(
        [os.fsencode(sys.executable), "-c", _ECHO, b"caf\xc3\xa9", tmp_path, "text"]
    )
    assert agent() == {"args": ["caf\u00e9", str(tmp_path), "text"]}


def test_a_factory_s_command_takes_bytes_and_paths_too(tmp_path: Path) -> None:
    factory = subprocess_agent_factory({"echo": [Path(sys.executable), "-c", _ECHO, b"x"]})
    assert factory({"command": "echo"})() == {"args": ["x"]}


@pytest.mark.parametrize(
    ("item", "kind"),
    [(None, "NoneType"), (5, "int"), (1.5, "float"), (["x"], "list"), (True, "bool")],
)
def test_an_argv_item_of_another_type_is_refused_when_made(item: Any, kind: str) -> None:
    with pytest.raises(
        TypeError,
        match=rf"^subprocess_agent: argv\[1\] must be text, bytes or a path .*\({kind}\)",
    ):
        subprocess_agent(["/bin/echo", item])


def test_a_factory_s_command_with_such_an_item_is_refused_naming_it() -> None:
    with pytest.raises(
        TypeError,
        match=r"^subprocess_agent_factory: command 'x': argv\[1\] must be text.*\(NoneType\)",
    ):
        subprocess_agent_factory({"x": ["echo", None]})


@pytest.mark.parametrize("item", ["a\0b", b"a\0b"])
def test_an_argv_item_holding_a_nul_byte_is_refused_when_made(item: str | bytes) -> None:
    with pytest.raises(ValueError, match=r"^subprocess_agent: argv\[2\] holds a NUL byte"):
        subprocess_agent(["/bin/echo", "x", item])
