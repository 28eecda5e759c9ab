"""A read-only field named only in a comment of a script is not written: validation and
deploy read the script as the engine runs it, with its language's comments left out. Before,
a ``;`` inside a ``//`` comment made ``ro = 2`` a statement, and deploy refused the process;
a statement after a ``/* */`` comment was not seen, and deploy took a script writing one."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.model import Package
from wfengine.errors import DeployError


def _package(script: str) -> Package:
    pb = PackageBuilder("p", script="text/javascript")
    p = pb.process("x").data_field("x", "INTEGER")
    p.data_field("ro", "INTEGER", read_only=True, initial="1")
    p.start("s").activity("calc", script=script).end("e").sequence("s", "calc", "e")
    return pb.build()


def test_a_read_only_field_in_a_comment_is_not_written() -> None:
    package = _package("x = 1 // was: x = 0; ro = 2")
    assert validate(package) == []
    with Engine() as engine:
        engine.deploy(package)
        assert engine.instance(engine.start_process("x")).data["x"] == 1


def test_a_read_only_field_after_a_comment_is_written() -> None:
    package = _package("/* reset; */ ro = 5")
    assert [f.code for f in validate(package)] == ["read-only-assigned"]
    with Engine() as engine, pytest.raises(DeployError):
        engine.deploy(package)
