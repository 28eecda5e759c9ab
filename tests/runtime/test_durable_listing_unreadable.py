"""A listing leaves out a row that cannot be read as an instance (a message on the log names
it), and a page still holds as many instances as asked while there are more: paging with
``limit`` and ``after`` goes on to the end (a short or empty page used to end it early)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import sqlalchemy as sa

from wfengine import Engine, PackageBuilder
from wfengine.runtime.sql import schema


def _fill(url: str, count: int) -> list[str]:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("work", performer="clerk")
    with Engine(db_url=url) as e:
        e.deploy(pb.build())
        return [e.start_process("main") for _ in range(count)]


def _spoil(url: str, instance_id: str, **values: object) -> None:
    p = schema.process_instances
    with Engine(db_url=url) as e, e.store.sa_engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(sa.update(p).where(p.c.id == instance_id).values(**values))


def _pages(e: Engine, size: int) -> list[list[str]]:
    pages: list[list[str]] = []
    after = None
    while page := [s.id for s in e.instance_summaries(limit=size, after=after)]:
        pages.append(page)
        after = page[-1]
    return pages


def test_paging_goes_past_a_row_that_cannot_be_read(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    ids = _fill(db_url, 6)
    _spoil(db_url, ids[1], state="bogus")
    readable = [i for i in ids if i != ids[1]]
    with caplog.at_level(logging.WARNING), Engine(db_url=db_url) as e:
        assert [s.id for s in e.instance_summaries(limit=2)] == readable[:2]
        assert _pages(e, 1) == [[i] for i in readable]
        assert _pages(e, 2) == [readable[:2], readable[2:4], readable[4:]]
        assert [s.id for s in e.instance_summaries()] == readable
    assert repr(ids[1]) in caplog.text


def test_paging_goes_past_rows_whose_columns_cannot_be_read(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"  # SQLite keeps any value in any column
    ids = _fill(url, 5)
    for spoiled in ids[1:3]:
        _spoil(url, spoiled, started_at=sa.literal_column("'not a time'"))
    readable = [ids[0], *ids[3:]]
    with Engine(db_url=url) as e:
        assert [s.id for s in e.instance_summaries(limit=2)] == readable[:2]
        assert _pages(e, 1) == [[i] for i in readable]


def test_paging_goes_past_a_row_whose_time_cannot_be_read(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    ids = _fill(url, 4)
    p = schema.process_instances
    with Engine(db_url=url) as e, e.store.sa_engine.begin() as conn:  # type: ignore[attr-defined]
        created = conn.execute(sa.select(p.c.created_at).where(p.c.id == ids[1])).scalar_one()
        # the text of a time, with something after it: sorts in its place, reads as no time
        text = conn.exec_driver_sql(
            "SELECT created_at FROM process_instances WHERE id = ?", (ids[1],)
        ).scalar_one()
        conn.exec_driver_sql(
            "UPDATE process_instances SET created_at = ? WHERE id = ?", (text + "x", ids[1])
        )
    assert created is not None
    with Engine(db_url=url) as e:
        assert [s.id for s in e.instance_summaries(limit=2)] == [ids[0], ids[2]]
