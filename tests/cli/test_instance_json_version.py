"""``instance show --json`` and ``instances --json`` name the process version an instance
runs (the text of ``instance show`` always did): a ``version`` key added at the end of each
object, the keys before it unchanged, so a script that reads them by name keeps working."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder


def _package(performer: str) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("enter", performer=performer)
    return pb


def test_the_json_of_instances_and_instance_show_names_the_version(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    first = write(tmp_path, _package("clerk"), "v1.xpdl")
    second = write(tmp_path, _package("manager"), "v2.xpdl")  # a changed process: version 2
    [old] = cli("instance", "start", first, "--db", url).stdout.split()
    [new] = cli("instance", "start", second, "--db", url).stdout.split()
    listed = json.loads(cli("instances", "--db", url, "--json").stdout)
    assert listed == [
        {
            "id": old,
            "process_id": "p",
            "state": "open.running",
            "version": 1,
            "parent_instance_id": None,
        },
        {
            "id": new,
            "process_id": "p",
            "state": "open.running",
            "version": 2,
            "parent_instance_id": None,
        },
    ]
    shown = json.loads(cli("instance", "show", new, "--db", url, "--json").stdout)
    assert list(shown) == [
        "id",
        "process_id",
        "state",
        "data",
        "activities",
        "version",
        "kept_messages",
        "parent_instance_id",
    ]
    assert shown["version"] == 2
    text = cli("instance", "show", new, "--db", url).stdout
    assert text.splitlines()[0] == f"instance {new} of process p (version 2)"
    # the text listing keeps its three columns
    assert cli("instances", "--db", url).stdout.splitlines()[1] == f"{new}\tp\topen.running"
