"""``wfengine versions`` lists the stored versions: when each was deployed, its ValidFrom and
ValidTo, its open instances and which one starts now; before, only Python's
``engine.store.versions()`` told any of it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, PackageBuilder


def _alert(kind: str, valid_from: str | None = None) -> PackageBuilder:
    pb = PackageBuilder("alerts")
    p = pb.process("alert")
    if valid_from is not None:
        p.header(valid_from=valid_from)
    pb.participant("clerk")
    p.data_field("level", kind)
    p.activity("handle", performer="clerk")  # (waits for a person: the instance stays open)
    return pb


def test_each_version_with_its_period_open_instances_and_the_one_starting_now(
    tmp_path: Path,
) -> None:
    url = sqlite_url(tmp_path)
    with Engine(db_url=url) as e:
        e.deploy(_alert("INTEGER").build())
        e.start_process("alert")
        e.deploy(_alert("STRING", valid_from="2099-01-01").build())  # scheduled
        other = PackageBuilder("other")
        other.process("other").activity("a")
        e.deploy(other.build())
        stored = e.store.deployed_at("alert")  # type: ignore[attr-defined]
    listed = cli("versions", "--db", url, "--process", "alert")
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.splitlines() == [
        f"alert\t1\t{stored[1].isoformat()}\t-\t-\t1\tstarts-now",
        f"alert\t2\t{stored[2].isoformat()}\t2099-01-01T00:00:00+00:00\t-\t0\t-",
    ]
    rows = json.loads(cli("versions", "--db", url, "--json").stdout)
    assert [(r["process_id"], r["version"], r["starts_now"]) for r in rows] == [
        ("alert", 1, True),
        ("alert", 2, False),
        ("other", 1, True),
    ]
    assert set(rows[0]) == {
        "process_id",
        "version",
        "deployed_at",
        "valid_from",
        "valid_to",
        "open_instances",
        "starts_now",
        "compiles",
    }
    assert (rows[1]["valid_from"], rows[1]["open_instances"]) == ("2099-01-01T00:00:00+00:00", 0)
    unknown = cli("versions", "--db", url, "--process", "alrt")
    assert unknown.exit_code == 1 and "alert" in unknown.stderr
