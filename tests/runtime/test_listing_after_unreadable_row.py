"""``after=`` (``wfengine instances --after ID``) may name a row whose creation time cannot be
read (a listing leaves that row out, with a message): the page after it follows it in listing
order, its time compared as the database stores it, instead of the store raising the
ValueError of reading that time. An id no instance has is still NotFoundError."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import cli
from wfengine import Engine, PackageBuilder
from wfengine.errors import NotFoundError


def _fill(url: str, count: int) -> list[str]:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("work", performer="clerk")
    with Engine(db_url=url) as e:
        e.deploy(pb.build())
        return [e.start_process("main") for _ in range(count)]


def _spoil_time(url: str, instance_id: str) -> None:
    """The row's time made the text of a time with something after it: it sorts in its
    place (SQLite keeps any text in any column) and reads as no time."""
    with Engine(db_url=url) as e, e.store.sa_engine.begin() as conn:  # type: ignore[attr-defined]
        text = conn.exec_driver_sql(
            "SELECT created_at FROM process_instances WHERE id = ?", (instance_id,)
        ).scalar_one()
        conn.exec_driver_sql(
            "UPDATE process_instances SET created_at = ? WHERE id = ?", (text + "x", instance_id)
        )


def test_the_page_after_a_row_whose_time_cannot_be_read(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    ids = _fill(url, 4)
    _spoil_time(url, ids[1])
    with Engine(db_url=url) as e:
        assert [s.id for s in e.instance_summaries()] == [ids[0], ids[2], ids[3]]
        assert [s.id for s in e.instance_summaries(limit=2, after=ids[1])] == ids[2:]
        assert [s.id for s in e.instance_summaries(after=ids[1])] == ids[2:]
        with pytest.raises(NotFoundError):
            e.instance_summaries(limit=2, after="pi-404")


def test_instances_after_a_row_whose_time_cannot_be_read_lists_on(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    ids = _fill(url, 3)
    _spoil_time(url, ids[1])
    listed = cli("instances", "--db", url, "--limit", "1", "--after", ids[1])
    assert listed.exit_code == 0, listed.output
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == [ids[2]]
