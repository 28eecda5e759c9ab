"""What ``verify_audit`` (``wfengine audit verify``) can and cannot see: the chains are per
instance, the head kept in the instance's row, so removing a whole instance (its row and its
events together) leaves no chain behind and verifies ``ok``. A chain across the whole trail
would serialise every start across engines; the README says so instead of implying that any
removed event is found."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from tests.cli.databases import cli
from wfengine import Engine, PackageBuilder

README = Path(__file__).resolve().parents[2] / "README.md"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_a_whole_instance_removed_verifies_and_the_readme_says_so(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    pb = PackageBuilder("pkg")
    pb.process("p").activity("a", performer="clerk")
    with Engine(db_url=url) as e:
        e.deploy(pb.build())
        gone, kept = e.start_process("p"), e.start_process("p")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        for table, column in (
            ("audit_events", "instance_id"),
            ("work_item_offers", "work_item_id IN (SELECT id FROM work_items WHERE instance_id"),
            ("work_items", "instance_id"),
            ("activity_instances", "instance_id"),
            ("process_instances", "id"),
        ):
            close = ")" if "(" in column else ""
            conn.exec_driver_sql(f"DELETE FROM {table} WHERE {column} = ?{close}", (gone,))
    engine.dispose()
    with Engine(db_url=url) as e:
        report = e.verify_audit()
        assert report.ok and report.instances == 1 and e.verify_audit(kept).ok
    out = cli("audit", "verify", "--db", url)
    assert out.exit_code == 0 and out.stdout.startswith("ok: 1 instances"), out.output
    readme = _flat(README.read_text(encoding="utf-8"))
    assert "removing a whole instance, its row and its events together, leaves no chain" in readme
    assert "verify cannot see it" in readme
    row = next(line for line in readme.split("| `wfengine audit verify") if "Recomputes" in line)
    assert "removing a whole instance, its row and its events, is not something it can see" in row
