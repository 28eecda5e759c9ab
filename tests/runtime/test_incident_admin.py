"""Incidents as an operator sees them: what failed, how often, and the three answers to one
(retry, skip, abort) through the engine, on every store; the SQL store's incident table."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import run
from tests.runtime.failing_call import crm_down, lookup_package
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import IllegalStateError, NotFoundError, SchemaOutdatedError
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql import migrate
from wfengine.runtime.sql import schema as t
from wfengine.runtime.states import ProcessState


def test_an_incident_names_the_application_and_its_attempts(engine: Engine) -> None:
    engine.applications.sleep = lambda _s: None
    engine.applications.register("lookup", crm_down, retries=2)
    iid = run(engine, lookup_package())
    [incident] = engine.incidents(iid)
    assert (incident.application_id, incident.attempts) == ("lookup", 3)
    assert (incident.instance_id, incident.activity_id) == (iid, "call")
    assert engine.incidents() == [incident]  # the database-wide list agrees


def test_an_incident_that_is_not_a_call_has_no_application(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("a").activity("b").transition("a", "b", condition="missing > 1")
    iid = run(engine, pb)
    [incident] = engine.incidents()
    assert incident.instance_id == iid
    assert (incident.application_id, incident.attempts, incident.operation) == (None, 0, "leave")


def test_skip_through_the_engine_finishes_the_activity(engine: Engine) -> None:
    engine.applications.register("lookup", crm_down)
    iid = run(engine, lookup_package())
    [incident] = engine.incidents()
    engine.skip_incident(incident.id, {"name": "by hand"})
    assert engine.instance(iid).state is ProcessState.COMPLETED
    assert engine.instance(iid).data["name"] == "by hand"
    assert engine.incidents() == []


def test_abort_incident_aborts_its_instance_once(engine: Engine) -> None:
    engine.applications.register("lookup", crm_down)
    iid = run(engine, lookup_package())
    other = engine.start_process("main")
    first, second = engine.incidents()
    assert {first.instance_id, second.instance_id} == {iid, other}
    engine.abort_incident(first.id)
    assert engine.instance(first.instance_id).state is ProcessState.ABORTED
    assert engine.instance(second.instance_id).state is ProcessState.RUNNING
    assert engine.incidents() == [second]
    kinds = [e.kind for e in engine.audit(first.instance_id)]
    assert "incident.aborted" in kinds and kinds[-1] == "instance.state"
    with pytest.raises(IllegalStateError, match="resolved"):
        engine.abort_incident(first.id)
    with pytest.raises(IllegalStateError, match="resolved"):
        engine.retry_incident(first.id)


def test_an_unknown_incident_is_not_found(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="inc-nope"):
        engine.retry_incident("inc-nope")
    with pytest.raises(NotFoundError):
        engine.skip_incident("inc-nope")
    with pytest.raises(NotFoundError):
        engine.abort_incident("inc-nope")


def test_closing_an_instance_closes_its_incidents_in_the_list(engine: Engine) -> None:
    engine.applications.register("lookup", crm_down)
    iid = run(engine, lookup_package())
    assert len(engine.incidents()) == 1
    engine.terminate(iid)
    assert engine.incidents() == []


def test_deploy_logs_application_bindings_that_do_not_fit(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    engine.applications.register("lokup", crm_down)  # a typo: 'lookup' stays unbound
    with caplog.at_level(logging.WARNING, logger="wfengine.applications"):
        engine.deploy(lookup_package().build())
    messages = [r.getMessage() for r in caplog.records if r.name == "wfengine.applications"]
    assert any("application-unbound" in m and "lookup" in m for m in messages), messages
    assert any("application-undeclared" in m and "lokup" in m for m in messages), messages


def test_incident_rows_mirror_the_instances(db_url: str) -> None:
    with Engine(db_url=db_url) as e:
        e.applications.register("lookup", crm_down)
        iid = run(e, lookup_package())
        [incident] = e.incidents()
        e.applications.register("lookup", lambda id: {"name": "Ada"})
        e.retry_incident(incident.id)
        assert e.instance(iid).state is ProcessState.COMPLETED
        with e.store.sa_engine.connect() as conn:  # type: ignore[attr-defined]
            rows = conn.execute(sa.select(t.incidents.c.id, t.incidents.c.resolved)).all()
    assert rows == [(incident.id, True)]


def test_upgrading_a_0001_database_fills_the_incident_table(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with Engine(db_url=url) as e:
        e.applications.register("lookup", crm_down)
        iid = run(e, lookup_package())
        [incident] = e.incidents()
    _age_blobs(url)
    assert migrate.downgrade(url, "0001") == (t.SCHEMA_REVISION, "0001")
    with pytest.raises(SchemaOutdatedError, match="wfengine db upgrade"):
        Engine(db_url=url)
    assert migrate.upgrade(url) == ("0001", t.SCHEMA_REVISION)
    with Engine(db_url=url) as e:
        [found] = e.incidents()
        assert found == replace(incident, application_id=None, attempts=0)  # old blob: defaults
        assert e.instance(iid).incidents == (incident.id,)
        e.applications.register("lookup", lambda id: {"name": "Ada"})
        e.retry_incident(found.id)
        assert e.instance(iid).state is ProcessState.COMPLETED


def _age_blobs(url: str) -> None:
    """Make the stored incidents look as a wfengine before application ids wrote them."""
    p = t.process_instances
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for instance_id, blob in conn.execute(sa.select(p.c.id, p.c.state_blob)).all():
            for i in blob["incidents"]:
                del i["app"], i["attempts"]
            conn.execute(p.update().where(p.c.id == instance_id).values(state_blob=blob))
    engine.dispose()
