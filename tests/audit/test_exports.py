"""The export writers through the Python API: XES trace attributes for exported data, every
page read, CSV and JSON Lines rows."""

from __future__ import annotations

import csv
import io
import json

from lxml import etree

from wfengine import Engine, PackageBuilder, iter_events, write_csv, write_jsonl, write_xes


def _engine() -> Engine:
    e = Engine()
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("region", "STRING", extended={"wfengine:export": "true"})
    p.data_field("amount", "FLOAT", extended={"wfengine:export": "true"})
    p.data_field("secret", "STRING")
    p.activity("a").activity("b")
    p.transition("a", "b")
    e.deploy(pb.build())
    return e


def test_xes_traces_carry_the_exported_fields_only() -> None:
    with _engine() as e:
        e.start_process("p", {"region": "north", "amount": 2.5, "secret": "s3"})
        out = io.BytesIO()
        assert write_xes(e, out) == 4  # a and b: start and complete each
    trace = etree.fromstring(out.getvalue()).find("trace")
    assert trace is not None
    attrs = {(x.tag, x.get("key")): x.get("value") for x in trace if x.tag != "event"}
    assert attrs == {
        ("string", "concept:name"): "pi-1",
        ("string", "wfengine:process"): "p",
        ("string", "region"): "north",
        ("float", "amount"): "2.5",
    }
    assert b"s3" not in out.getvalue()


def test_every_page_is_read_and_written() -> None:
    with _engine() as e:
        for _ in range(30):
            e.start_process("p")
        everything = e.audit_events()
        assert list(iter_events(e, page=7)) == everything
        text = io.StringIO()
        assert write_csv(iter_events(e, page=7), text) == len(everything)
        rows = list(csv.DictReader(io.StringIO(text.getvalue())))
        assert [(r["instance_id"], int(r["seq"])) for r in rows] == [
            (x.instance_id, x.seq) for x in everything
        ]
        lines = io.StringIO()
        assert write_jsonl(everything, lines) == len(everything)
        first = json.loads(lines.getvalue().splitlines()[0])
        assert first["kind"] == "instance.created" and first["process_id"] == "p"


def test_xes_reports_progress_per_instance() -> None:
    seen: list[str] = []

    def progress(ids: list[str]) -> list[str]:
        seen.extend(ids)
        return ids

    with _engine() as e:
        ids = [e.start_process("p") for _ in range(3)]
        write_xes(e, io.BytesIO(), progress=progress)
    assert seen == ids
