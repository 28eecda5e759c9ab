"""A deployment an earlier wfengine stored whose InitialValue gives a value its field's type
does not take (``total / people`` giving 2.5 for an INTEGER, read only in a condition) ran:
the value was stored as computed. Since 9400fd3 such a start is refused, so after the upgrade
every new start of that version failed, with no warning. A version the store marks as stored
before (``deployments.reads_expressions_as_before``, migration 0026) now starts as then, the
value as computed, with a ``wfengine.deploy`` warning naming the process, the field and its
initial value; a version deployed now is refused as 9400fd3 has it."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from wfengine import Engine, PackageBuilder
from wfengine.definition.model import Package
from wfengine.errors import DataTypeError
from wfengine.runtime.sql import schema


def _package(total: int = 5) -> Package:
    b = PackageBuilder("p")
    b.participant("clerk")
    p = b.process("proc")
    p.data_field("total", "INTEGER", initial=str(total))
    p.data_field("people", "INTEGER", initial="2")
    p.data_field("x", "INTEGER", initial="total / people")
    p.start("s0").activity("review", performer="clerk").activity("big").activity("small")
    p.end("e0")
    p.transition("s0", "review")
    p.transition("review", "big", condition="x > 2")
    p.transition("review", "small", condition="x <= 2")
    p.transition("big", "e0").transition("small", "e0")
    return b.build()


def _mark_stored_before(url: str) -> None:
    """What migration 0026 does to every row stored before it."""
    db = sa.create_engine(url)
    try:
        with db.begin() as conn:
            conn.execute(sa.update(schema.deployments).values(reads_expressions_as_before=True))
    finally:
        db.dispose()


def _deploy_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "wfengine.deploy"]


def test_a_version_stored_before_starts_as_then_with_a_warning(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with Engine(db_url=db_url) as e:
        e.deploy(_package())
    _mark_stored_before(db_url)
    with caplog.at_level(logging.INFO, "wfengine.deploy"), Engine(db_url=db_url) as e:
        iid = e.start_process("proc")
        assert e.instance(iid).data["x"] == 2.5  # as computed, as the earlier wfengine did
        (item,) = e.work_items(iid)
        e.complete_work_item(item.id)
        assert e.trace(iid) == ["s0", "review", "big", "e0"]
        assert e.start_process("proc")  # every start, not the first only
    [warning] = _deploy_warnings(caplog)
    assert "process 'proc' (deployed earlier): data field 'x'" in warning
    assert "its initial value 'total / people'" in warning


def test_a_version_deployed_now_is_refused_and_warns_nothing(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with Engine(db_url=db_url) as e:
        e.deploy(_package())
    _mark_stored_before(db_url)
    with caplog.at_level(logging.INFO, "wfengine.deploy"), Engine(db_url=db_url) as e:
        assert [d.version for d in e.deploy(_package(total=7))] == [2]  # unmarked: x is 3.5
        with pytest.raises(DataTypeError, match=r"data field 'x': its initial value"):
            e.start_process("proc")
        assert e.instances() == []
        assert e.instance(e.start_process("proc", version=1)).data["x"] == 2.5
    assert len(_deploy_warnings(caplog)) == 1  # (version 1's, when it was compiled)
