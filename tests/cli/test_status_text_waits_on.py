"""``wfengine status ID`` text names what a case waits on, as ``--json`` does: each open
incident (``incident <id> on <activity>: <message>``), the subflow instance an activity called
(at the end of its line) and, on a subflow's instance, its parent (at the end of the header).
The text showed neither: an instance stopped on an incident read as plainly running."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, PackageBuilder, VirtualClock


def _database(tmp_path: Path) -> tuple[str, str, str, str]:
    """(url, a parent stopped on an incident after its subflow, a parent that waits on its
    subflow, that subflow's instance)."""
    url = sqlite_url(tmp_path)
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.application("boom", params=[("x", "IN", "INTEGER")])
    c = pb.process("child")
    c.start("cs").activity("task", performer="clerk").end("ce").sequence("cs", "task", "ce")
    p = pb.process("parent")
    p.data_field("k", "INTEGER", initial="0")
    p.start("s").subflow("sub", process="child").activity("fail", tool="boom", args=["k"])
    p.end("e").sequence("s", "sub", "fail", "e")

    def boom(x: int) -> None:
        raise RuntimeError("kaput\nline two")

    with Engine(clock=VirtualClock(), db_url=url) as e:
        e.deploy(pb.build())
        e.applications.register("boom", boom)
        stopped = e.start_process("parent", {})
        (item,) = e.work_items()
        e.complete_work_item(item.id, {})
        waiting = e.start_process("parent", {})
        (child,) = [
            s.id for s in e.instance_summaries(process_id="child") if s.completed_at is None
        ]
    return url, stopped, waiting, child


def test_the_text_names_incidents_subflows_and_the_parent(tmp_path: Path) -> None:
    url, stopped, waiting, child = _database(tmp_path)
    out = cli("status", stopped, "--db", url)
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    as_json = json.loads(cli("status", stopped, "--db", url, "--json").stdout)
    (incident,) = as_json["incidents"]
    assert lines[0] == f"{stopped} (parent v1): open.running"  # not a subflow: no parent
    (row,) = [line for line in lines if line.startswith("  incident ")]
    assert row.startswith(f"  incident {incident} on fail: ")
    assert row.endswith("kaput\\nline two (1 attempt)")  # on one line
    (sub,) = [line for line in lines if line.startswith("  sub ")]
    (called,) = [
        a["subflow_instance_id"] for a in as_json["activities"] if a["activity_id"] == "sub"
    ]
    assert called is not None
    assert sub.split()[1:] == ["closed.completed", "subflow", called]
    waits = cli("status", waiting, "--db", url).stdout.splitlines()
    assert f"  {'sub':<24} open.running subflow {child}" in waits
    assert not [line for line in waits if line.startswith("  incident ")]
    header = cli("status", child, "--db", url).stdout.splitlines()[0]
    assert header == f"{child} (child v1): open.running parent {waiting}"
