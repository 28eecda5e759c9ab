"""A deployment reads its expressions as the wfengine that deployed it did only when the store
marks it stored before the readings changed (``deployments.reads_expressions_as_before``,
migration 0026), not whenever it is read back from the store.

Every deployment another process reads was read back, so one this wfengine deployed read
leniently there: ``Math.max(a, b)`` over text (validation warns ``math-argument``) or Java's
``"\\d"`` stopped the deploying process's instances with an incident and took a way in a
worker's, or after a restart. Now a deployment reads alike in every process; one the upgrade
marked (stored before) keeps the earlier reading, with a ``wfengine.deploy`` warning naming
the process and the text."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from wfengine import Engine, PackageBuilder
from wfengine.definition.model import Package
from wfengine.runtime.sql import migrate, schema

DECOMPOSED, COMPOSED = "cafe\u0301", "caf\u00e9"

#: (script, condition, the incident's words when read as now, the warning's when read as then)
CASES = {
    "math-over-text": (
        "text/java",
        'Math.max(a, b).equals("9")',
        "Math.max takes a number, not text",
        "Math.max in 'Math.max(a, b).equals(\"9\")' takes text and booleans",
    ),
    "refused-escape": (
        "text/java",
        '"\\d".length() == 2',
        "'\\d' is no escape in Java",
        "is read by Python's rules, as the wfengine that deployed it read it",
    ),
    "decomposed-name": (
        "text/javascript",
        f"{DECOMPOSED} == '10'",
        "is not spelt composed",
        "spells names decomposed",
    ),
}


def _package(script: str, condition: str) -> Package:
    """``proc``: ``yes`` when ``condition`` holds (``a`` is ``'10'``, ``b`` ``'9'``)."""
    pb = PackageBuilder("pkg", script=script)
    p = pb.process("proc")
    p.data_field("a", "STRING", initial="10")
    p.data_field("b", "STRING", initial="9")
    p.data_field(COMPOSED, "STRING", initial="10")
    p.start("s")
    p.route("r", gateway="Exclusive")
    p.activity("yes").activity("no")
    p.end("e1").end("e2")
    p.sequence("s", "r").sequence("yes", "e1").sequence("no", "e2")
    p.transition("r", "yes", condition=condition)
    p.transition("r", "no", otherwise=True)
    return pb.build()


def _run(e: Engine) -> tuple[list[str], list[str]]:
    """A new instance's trace, and the incidents it opened (their text, its id left out)."""
    iid = e.start_process("proc")
    opened = [i.message.replace(iid, "?") for i in e.incidents() if i.instance_id == iid]
    return e.trace(iid), opened


def _deploy_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "wfengine.deploy"]


def _mark_stored_before(url: str) -> None:
    """What migration 0026 does to every row stored before it."""
    d = schema.deployments
    db = sa.create_engine(url)
    try:
        with db.begin() as conn:
            conn.execute(sa.update(d).values(reads_expressions_as_before=True))
    finally:
        db.dispose()


@pytest.mark.parametrize("case", list(CASES))
def test_a_deployment_this_wfengine_made_reads_alike_in_every_process(
    db_url: str, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    script, condition, refused, _ = CASES[case]
    with Engine(db_url=db_url) as e:
        e.deploy(_package(script, condition))
        trace, incidents = _run(e)
    assert trace == ["s"]
    assert any(refused in text for text in incidents), incidents
    with caplog.at_level(logging.WARNING, "wfengine.deploy"), Engine(db_url=db_url) as other:
        assert _run(other) == (trace, incidents)
    assert _deploy_warnings(caplog) == []


@pytest.mark.parametrize("case", list(CASES))
def test_a_deployment_stored_before_the_upgrade_reads_as_then_with_a_warning(
    db_url: str, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    script, condition, _, said = CASES[case]
    with Engine(db_url=db_url) as e:
        e.deploy(_package(script, condition))
    _mark_stored_before(db_url)
    with caplog.at_level(logging.INFO, "wfengine.deploy"), Engine(db_url=db_url) as e:
        assert _run(e) == (["s", "r", "yes", "e1"], [])
    [warning] = _deploy_warnings(caplog)
    assert "process 'proc' (deployed earlier)" in warning
    assert said in warning


def _marks(url: str) -> dict[int, bool]:
    d = schema.deployments
    db = sa.create_engine(url)
    try:
        with db.connect() as conn:
            query = sa.select(d.c.version, d.c.reads_expressions_as_before)
            return {version: bool(marked) for version, marked in conn.execute(query)}
    finally:
        db.dispose()


def test_the_upgrade_marks_what_was_stored_before_it_and_nothing_after(db_url: str) -> None:
    script, condition, _, _ = CASES["math-over-text"]
    with Engine(db_url=db_url) as e:
        e.deploy(_package(script, condition))
    assert _marks(db_url) == {1: False}
    migrate.downgrade(db_url, "0025")
    migrate.upgrade(db_url)
    assert _marks(db_url) == {1: True}
    with Engine(db_url=db_url) as e:
        assert _run(e)[0] == ["s", "r", "yes", "e1"]  # version 1: read as then
        e.deploy(_package(script, condition.replace("9", "8")))
        assert _run(e)[0] == ["s"]  # version 2: as now (an incident)
    assert _marks(db_url) == {1: True, 2: False}
