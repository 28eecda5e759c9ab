"""``message send --start`` reads ``--set`` by the declarations of the version that starts:
the newest valid now (``Engine.start_by_message``), which is an older one while the latest
version's ``ValidFrom`` is still to come."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, PackageBuilder
from wfengine.definition.model import Package


def _package(item: str, valid_from: str | None = None, message: str = "new_order") -> Package:
    pb = PackageBuilder("shop")
    pb.participant("clerk")
    p = pb.process("bymsg")
    p.data_field("item", item)
    p.start("ms", trigger="Message", message=message).activity("pack", performer="clerk")
    p.end("e").sequence("ms", "pack", "e")
    package = pb.build()
    if valid_from is None:
        return package
    [process] = package.workflow_processes
    header = process.header.model_copy(update={"valid_from": valid_from})
    process = process.model_copy(update={"header": header})
    return package.model_copy(update={"workflow_processes": (process,)})


@pytest.fixture
def url(tmp_path: Path) -> str:
    """Version 1 takes an INTEGER item and is valid now; version 2 a STRING from 2999."""
    db = sqlite_url(tmp_path)
    with Engine(db_url=db) as engine:
        engine.deploy(_package("INTEGER"))
        engine.deploy(_package("STRING", valid_from="2999-01-01"))
        assert engine.store.versions("bymsg") == [1, 2]
    return db


def test_the_data_is_read_by_the_version_that_starts(url: str) -> None:
    args = ("message", "send", "new_order", "--db", url, "--start")
    wrong = cli(*args, "--set", "item=kettle")  # text is fine for v2, not for v1
    assert wrong.exit_code == 2, wrong.output
    assert "item=kettle: data field 'item' (INTEGER): expected INTEGER" in wrong.stderr
    with Engine(db_url=url) as engine:
        assert engine.instance_summaries() == []  # nothing started
    started = cli(*args, "--set", "item=42")
    assert started.exit_code == 0, started.output
    with Engine(db_url=url) as engine:
        instance = engine.instance(started.stdout.split()[0])
        assert (instance.version, instance.data) == (1, {"item": 42})  # v1's INTEGER


def test_a_message_a_version_deployed_ahead_renamed_still_starts_the_one_valid_now(
    tmp_path: Path,
) -> None:
    """Version 2 (from 2999) starts on 'order_placed': 'new_order' still starts version 1,
    its ``--set`` read by version 1's INTEGER."""
    db = sqlite_url(tmp_path)
    with Engine(db_url=db) as engine:
        engine.deploy(_package("INTEGER"))
        engine.deploy(_package("STRING", valid_from="2999-01-01", message="order_placed"))
    args = ("message", "send", "new_order", "--db", db, "--start")
    wrong = cli(*args, "--set", "item=kettle")
    assert wrong.exit_code == 2, wrong.output
    assert "expected INTEGER" in wrong.stderr
    started = cli(*args, "--set", "item=42")
    assert started.exit_code == 0, started.output
    with Engine(db_url=db) as engine:
        instance = engine.instance(started.stdout.split()[0])
        assert (instance.version, instance.data) == (1, {"item": 42})
