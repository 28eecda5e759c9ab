"""Keyset-paged listing of instances (issue 14, item 4): ``instance_summaries(limit=,
after=)`` and ``wfengine instances --limit --after`` page through the listing order on every
store, and on SQLite and PostgreSQL a page is an index range of ``ix_process_instances_listing``
however many instances there are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from tests.runtime.conftest import store_url
from tests.runtime.plans import query_plan
from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.cli.main import main
from wfengine.errors import NotFoundError


def _fill(engine: Engine, count: int) -> list[str]:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("work", performer="clerk")
    pb.process("other").activity("job", performer="clerk")
    engine.deploy(pb.build())
    return [engine.start_process("main" if n % 3 else "other") for n in range(count)]


def test_pages_walk_the_whole_listing_in_order(engine: Engine) -> None:
    ids = _fill(engine, 25)  # one virtual clock: all created at the same moment (pi-2 < pi-10)
    assert [s.id for s in engine.instance_summaries()] == ids
    seen: list[str] = []
    after = None
    while True:
        page = engine.instance_summaries(limit=7, after=after)
        seen += [s.id for s in page]
        if len(page) < 7:
            break
        after = page[-1].id
    assert seen == ids
    mains = [s.id for s in engine.instance_summaries(process_id="main")]
    assert (
        engine.instance_summaries(process_id="main", limit=3, after=mains[2])
        == (engine.instance_summaries(process_id="main")[3:6])
    )
    assert engine.instance_summaries(limit=0) == []
    with pytest.raises(NotFoundError, match="pi-404"):
        engine.instance_summaries(after="pi-404")
    with pytest.raises(ValueError, match="limit"):
        engine.instance_summaries(limit=-1)


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_page_after_an_instance_is_an_index_range(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = store_url(request, kind, tmp_path)
    assert url is not None
    with Engine(db_url=url, clock=VirtualClock()) as e:
        _fill(e, 5)
    query = (
        "SELECT id FROM process_instances WHERE (created_at, length(id), id) > "
        "(:at, 4, 'pi-3') ORDER BY created_at, length(id), id LIMIT 2"
    )
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            at = conn.exec_driver_sql("SELECT created_at FROM process_instances LIMIT 1").scalar()
    finally:
        engine.dispose()
    if kind == "sqlite":
        plan = query_plan(url, query.replace(":at", "?"), (at,))
    else:
        plan = query_plan(url, query.replace(":at", "%(at)s"), {"at": at})
    assert "ix_process_instances_listing" in plan, plan
    assert "TEMP B-TREE" not in plan  # no sort: the index gives the order


def test_instances_command_pages(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url) as e:
        ids = _fill(e, 12)
    runner = CliRunner()
    first = runner.invoke(main, ["instances", "--db", url, "--limit", "5", "--json"])
    assert first.exit_code == 0, first.output
    page = [row["id"] for row in json.loads(first.output)]
    assert page == ids[:5]
    rest = runner.invoke(main, ["instances", "--db", url, "--after", page[-1]])
    assert rest.exit_code == 0
    assert [line.split("\t")[0] for line in rest.output.splitlines()] == ids[5:]
    unknown = runner.invoke(main, ["instances", "--db", url, "--after", "pi-404"])
    assert unknown.exit_code == 1 and "pi-404" in unknown.output


def test_one_summary_is_the_listings_entry_for_that_instance(engine: Engine) -> None:
    ids = _fill(engine, 3)
    (item,) = engine.work_items(ids[1])
    engine.complete_work_item(item.id)
    listed = {s.id: s for s in engine.instance_summaries()}
    for iid in ids:
        assert engine.instance_summary(iid) == listed[iid]
    assert engine.instance_summary(ids[1]).state.value == "closed.completed"
    with pytest.raises(NotFoundError, match="pi-404"):
        engine.instance_summary("pi-404")
    with pytest.raises(NotFoundError, match="pi-404"):
        engine.work_items("pi-404")


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_asking_after_an_instance_does_not_load_it(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """``instance_summary`` and ``work_items`` of an instance with no open item read its row's
    columns, never its document (which grows with the instance's history)."""
    url = store_url(request, kind, tmp_path)
    assert url is not None
    with Engine(db_url=url, clock=VirtualClock()) as e:
        (iid,) = _fill(e, 1)
        (item,) = e.work_items(iid)
        e.complete_work_item(item.id)
        read: list[str] = []
        sa.event.listen(
            e.store.sa_engine,  # type: ignore[attr-defined]
            "before_cursor_execute",
            lambda _c, _cur, statement, *_a: read.append(statement),
        )
        assert e.work_items(iid) == []
        assert e.instance_summary(iid).state.value == "closed.completed"
        assert read and not [s for s in read if "state_blob" in s]
