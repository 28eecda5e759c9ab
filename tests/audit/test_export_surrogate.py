"""A lone surrogate in instance data (``json.loads('"\\ud83d"')``: half an emoji a browser cut)
is stored and hashed by the engine; the CSV and JSON Lines exports and the ``audit`` table
died on it half-way with a UnicodeEncodeError (XES already wrote U+FFFD). Its JSON is now the
``\\ud83d`` escape (it reads back as the same string), plain text is U+FFFD."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.databases import cli
from wfengine import Engine, PackageBuilder

HALF = json.loads('"emoji half \\ud83d"')


def _db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url) as e:
        pb = PackageBuilder("m")
        p = pb.process("p")
        p.data_field("note", "STRING")
        p.activity("a", performer="clerk")
        e.deploy(pb.build())
        e.start_process("p", {"note": "ok"})
        e.start_process("p", {"note": HALF})
        e.start_process("p", {"note": "after"})
    return url


def test_jsonl_escapes_a_lone_surrogate_and_reads_back_the_same(tmp_path: Path) -> None:
    url = _db(tmp_path)
    out = tmp_path / "trail.jsonl"
    done = cli("audit", "--db", url, "--format", "jsonl", "-o", str(out))
    assert done.exit_code == 0, done.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    created = [r for r in rows if r["kind"] == "instance.created"]
    assert [r["detail"]["data"]["note"] for r in created] == ["ok", HALF, "after"]
    assert "\\ud83d" in out.read_text(encoding="utf-8")


def test_csv_writes_every_row_with_the_detail_json_escaped(tmp_path: Path) -> None:
    url = _db(tmp_path)
    out = tmp_path / "trail.csv"
    done = cli("audit", "--db", url, "--format", "csv", "-o", str(out))
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    created = [r for r in rows if r["kind"] == "instance.created"]
    assert [json.loads(r["detail"])["data"]["note"] for r in created] == ["ok", HALF, "after"]


def test_the_table_puts_a_replacement_character_for_a_lone_surrogate_in_a_user() -> None:
    """No store takes such a user id now (391b4e1: a ValueError naming it); a trail written
    before that may still hold one, and the table prints it as U+FFFD, not a traceback."""
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from wfengine.cli.audit_cmd import _table

    user = json.loads('"ann\\udc00"')
    with Engine() as e:
        pb = PackageBuilder("m")
        pb.process("p").activity("a", performer="clerk")
        e.deploy(pb.build())
        iid = e.start_process("p", {})
        with pytest.raises(ValueError, match="lone surrogate"):
            e.terminate(iid, user=user)
    old = SimpleNamespace(
        at=datetime(2030, 1, 1, tzinfo=UTC),
        instance_id="pi-1",
        seq=1,
        kind="instance.state",
        activity_id=None,
        user=user,
        detail={"state": "closed.terminated", "previous": "open.running", "user": user},
    )
    out = io.StringIO()
    _table([old], out)
    text = out.getvalue().encode("utf-8").decode("utf-8")
    assert "ann\ufffd" in text and text.rstrip().endswith("user=ann\ufffd")
