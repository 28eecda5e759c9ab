"""A deployment keeps its package's model as JSON next to its XPDL text: an engine that starts
reads a process back from the JSON when it was written by a model of the running model's shape
(``wfengine.definition.model_format``), and from the XPDL otherwise."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.definition.model_format import MODEL_FORMAT
from wfengine.errors import WorkflowError
from wfengine.runtime.sql import schema


def _deploy(url: str) -> None:
    pb = PackageBuilder("models")
    p = pb.process("p")
    p.data_field("n", "INTEGER", initial="3")
    p.activity("a").activity("b", performer="clerk").transition("a", "b")
    with Engine(db_url=url) as e:
        e.deploy(pb.build())


def _update(url: str, **values: object) -> None:
    with Engine(db_url=url) as e, e.store.sa_engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(sa.update(schema.deployments).values(**values))


def _row(url: str) -> sa.RowMapping:
    with Engine(db_url=url) as e, e.store.sa_engine.connect() as conn:  # type: ignore[attr-defined]
        return conn.execute(sa.select(schema.deployments)).mappings().one()


def test_a_deployment_stores_its_model_with_the_models_format(db_url: str) -> None:
    _deploy(db_url)
    row = _row(db_url)
    assert row["model_format"] == MODEL_FORMAT
    assert '"id":"models"' in row["model"]


def test_a_started_engine_reads_the_stored_model_not_the_xpdl(db_url: str) -> None:
    _deploy(db_url)
    _update(db_url, xpdl="<not xpdl")  # only the model can give the process now
    with Engine(db_url=db_url) as e:
        iid = e.start_process("p")
        assert e.instance(iid).data == {"n": 3}
        assert [w.activity_id for w in e.work_items(iid)] == ["b"]


def test_a_model_of_another_format_is_not_read(db_url: str) -> None:
    _deploy(db_url)
    _update(db_url, model_format=MODEL_FORMAT + 1, model='{"not": "this shape"}')
    with Engine(db_url=db_url) as e:  # read from the XPDL, as before 0013
        iid = e.start_process("p")
        assert e.instance(iid).state is ProcessState.RUNNING
    _update(db_url, xpdl="<not xpdl")
    with Engine(db_url=db_url) as e, pytest.raises(WorkflowError):
        e.start_process("p")


def test_a_model_that_does_not_read_back_falls_back_to_the_xpdl(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    _deploy(db_url)
    _update(db_url, model='{"id": 5}')
    with caplog.at_level(logging.WARNING, logger="wfengine.deploy"), Engine(db_url=db_url) as e:
        iid = e.start_process("p")
        assert e.instance(iid).data == {"n": 3}
    assert "does not read back" in caplog.text
