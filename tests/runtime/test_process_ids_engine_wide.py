"""Process ids are engine-wide, as a process key is in other engines: a package deploying a
process whose id another package deployed makes a new version of it, and whatever starts it by
its id (the other package's subflows too) starts the new one. That is easily a surprise, so the
deploy says so on the ``wfengine.deploy`` logger, naming both packages."""

from __future__ import annotations

import logging

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine


def _with_child(package_id: str, label: str) -> PackageBuilder:
    pb = PackageBuilder(package_id)
    p = pb.process("child")
    p.data_field("who", "STRING", initial=f"'{label}'")
    p.activity("a")
    return pb


def test_a_process_id_another_package_deployed_becomes_its_next_version_with_a_warning(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    [first] = engine.deploy(_with_child("sales", "sales").build())
    with caplog.at_level(logging.WARNING, logger="wfengine.deploy"):
        [second] = engine.deploy(_with_child("hr", "hr").build())
    assert (first.version, second.version) == (1, 2)
    assert engine.instance(engine.start_process("child")).data["who"] == "hr"
    [record] = [r for r in caplog.records if r.name == "wfengine.deploy"]
    message = record.getMessage()
    assert "process 'child' of package 'hr' becomes version 2" in message
    assert "version 1 came from package 'sales'" in message


def test_a_new_version_from_the_same_package_says_nothing(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    engine.deploy(_with_child("sales", "one").build())
    with caplog.at_level(logging.WARNING, logger="wfengine.deploy"):
        [second] = engine.deploy(_with_child("sales", "two").build())
    assert second.version == 2
    assert [r for r in caplog.records if r.name == "wfengine.deploy"] == []
