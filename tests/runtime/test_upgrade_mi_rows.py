"""Multi-instance work done before schema 0012 counts in the metrics once the database is
upgraded (migration 0019 fills ``mi_index`` and ``mi_parent_id`` from the documents).

``fixtures/upgrade_mi_0011.json`` holds what wfengine at schema 0011 wrote: an instance whose
three instances of the multi-instance activity ``each`` completed, and one with one of three
completed (``make_upgrade_databases.py mi``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tests.runtime.fixtures.old_database import restore
from wfengine.audit.metrics import process_metrics
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql import migrate, schema
from wfengine.runtime.sql.connect import create_engine
from wfengine.runtime.states import ProcessState


@pytest.fixture
def upgraded(db_url: str) -> Iterator[Engine]:
    assert restore(db_url, "upgrade_mi_0011.json") == "0011"
    migrate.upgrade(db_url)
    with Engine(db_url=db_url) as e:
        yield e


def _rows(url: str) -> dict[str, tuple[int | None, str | None]]:
    a = schema.activity_instances
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            query = sa.select(a.c.id, a.c.mi_index, a.c.mi_parent_id).where(
                a.c.activity_id == "each"
            )
            return {r.id: (r.mi_index, r.mi_parent_id) for r in conn.execute(query)}
    finally:
        engine.dispose()


def _each_count(e: Engine) -> int:
    found = {a.activity_id: a.count for a in process_metrics(e, "mi").activities}
    return found.get("each", 0)


def test_instances_that_ended_before_the_upgrade_count_in_the_metrics(
    upgraded: Engine, db_url: str
) -> None:
    # the three of the completed instance and the one completed of the open instance (the
    # containers are not counted: their instances are the activity's work)
    assert _each_count(upgraded) == 4
    assert _rows(db_url) == {
        "pi-1:2": (None, None),
        "pi-1:3": (0, "pi-1:2"),
        "pi-1:4": (1, "pi-1:2"),
        "pi-1:5": (2, "pi-1:2"),
        "pi-2:2": (None, None),
        "pi-2:3": (0, "pi-2:2"),
        "pi-2:4": (1, "pi-2:2"),
        "pi-2:5": (2, "pi-2:2"),
    }


def test_the_open_instance_carries_on_and_all_its_work_counts(
    upgraded: Engine, db_url: str
) -> None:
    for item in upgraded.work_items("pi-2"):
        upgraded.complete_work_item(item.id)
    assert upgraded.instance("pi-2").state is ProcessState.COMPLETED
    assert _each_count(upgraded) == 6
    assert {r for r in _rows(db_url).values() if r[0] is not None} == {
        (i, f"pi-{n}:2") for i in range(3) for n in (1, 2)
    }
