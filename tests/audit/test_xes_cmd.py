"""``wfengine audit --format xes`` on a database: a value XML cannot hold does not stop the
log, and the filters select what the CSV export of the same filters selects."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from lxml import etree

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, PackageBuilder


def test_xes_agrees_with_csv_and_survives_control_characters(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("note", "STRING", extended={"wfengine:export": "true"})
    p.activity("a")
    pb.process("q").activity("b")
    with Engine(db_url=url) as e:
        e.deploy(pb.build())
        iid = e.start_process("p", {"note": "pasted\x0bfrom a form\x1b"})
    target = tmp_path / "log.xes"
    out = cli("audit", "--db", url, "--format", "xes", "-o", str(target))
    assert out.exit_code == 0, out.output
    (note,) = [x for x in etree.parse(str(target)).iter("string") if x.get("key") == "note"]
    assert note.get("value") == "pasted\ufffdfrom a form\ufffd"
    for process, traces in (("q", 0), ("p", 1)):
        chosen = ("--instance", iid, "--process", process)
        rows = cli("audit", "--db", url, "--format", "csv", *chosen)
        log = cli("audit", "--db", url, "--format", "xes", *chosen)
        assert rows.exit_code == 0 and log.exit_code == 0, log.output
        ids = {r["instance_id"] for r in csv.DictReader(io.StringIO(rows.stdout))}
        assert ids == ({iid} if traces else set())
        assert len(etree.fromstring(log.stdout_bytes).findall("trace")) == traces
