"""Which instance a subflow's caller is, and which subflow a call activity runs, in
``instances --json`` and ``instance show`` (text and ``--json``). Before, only ``status``
showed either link: an operator listing instances could not tell subflows from top-level
cases, and ``instance show`` of a caller showed its call as ``call open.running <time> -``."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from wfengine import PackageBuilder
from wfengine.definition.io import dump_xpdl


def _started(tmp_path: Path) -> tuple[str, str, str]:
    """A database with ``main`` (its ``call`` waiting for a ``child`` instance): the URL, the
    caller's id and the child's."""
    pb = PackageBuilder("pkg")
    main = pb.process("main")
    main.subflow("call", process="child")
    pb.process("child").activity("work", performer="clerk")
    path = tmp_path / "calls.xpdl"
    path.write_bytes(dump_xpdl(pb.build()))
    url = sqlite_url(tmp_path)
    [caller] = cli("instance", "start", str(path), "--db", url).stdout.split()
    assert cli("worker", "--db", url, "--until-idle").exit_code == 0
    listed = json.loads(cli("instances", "--db", url, "--json").stdout)
    [child] = [row["id"] for row in listed if row["id"] != caller]
    return url, caller, child


def test_instances_json_names_each_subflows_caller(tmp_path: Path) -> None:
    url, caller, child = _started(tmp_path)
    listed = json.loads(cli("instances", "--db", url, "--json").stdout)
    assert [(row["id"], row["parent_instance_id"]) for row in listed] == [
        (caller, None),
        (child, caller),
    ]
    assert list(listed[0])[:4] == ["id", "process_id", "state", "version"]  # (kept, in order)


def test_instance_show_json_names_the_caller_and_the_subflow(tmp_path: Path) -> None:
    url, caller, child = _started(tmp_path)
    shown = json.loads(cli("instance", "show", caller, "--db", url, "--json").stdout)
    assert shown["parent_instance_id"] is None
    [call] = shown["activities"]
    assert (call["activity_id"], call["subflow_instance_id"]) == ("call", child)
    shown = json.loads(cli("instance", "show", child, "--db", url, "--json").stdout)
    assert shown["parent_instance_id"] == caller
    [work] = shown["activities"]
    assert work["subflow_instance_id"] is None


def test_instance_show_text_names_the_caller_and_the_subflow(tmp_path: Path) -> None:
    url, caller, child = _started(tmp_path)
    lines = cli("instance", "show", caller, "--db", url).stdout.splitlines()
    assert lines[0] == f"instance {caller} of process main (version 1)"
    [call] = [line for line in lines if line.startswith("  call\t")]
    assert call.split("\t")[1] == "open.running"
    assert call.endswith(f"\t-\tsubflow {child}")
    lines = cli("instance", "show", child, "--db", url).stdout.splitlines()
    assert lines[0] == f"instance {child} of process child (version 1) parent {caller}"
    [work] = [line for line in lines if line.startswith("  work\t")]
    assert "subflow" not in work
