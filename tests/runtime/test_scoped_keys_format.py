"""An instance document whose performer summaries are keyed by scope (a process repeating an
activity Id across activity sets: ``performers["S/Review"]``) is of a format, and its database
at a schema revision, that a wfengine reading ``performers["Review"]`` as every holder's entry
does not know: that wfengine refuses the database (and, after a rollback of the schema, such
an instance) instead of sending work back to, or keeping off a four-eyes check, the top-level
``Review``'s performer instead of the block's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from wfengine import Engine, NotAuthorizedError, Organisation, load_xpdl
from wfengine.runtime.sql import migrate, schema
from wfengine.runtime.sql.connect import create_engine
from wfengine.runtime.sql.document_format import (
    CURRENT_FORMAT,
    FORMAT_REVISIONS,
    current_document,
)
from wfengine.runtime.states import ProcessState

ORG = {"users": [{"id": "alice", "roles": ["clerk"]}, {"id": "bob", "roles": ["clerk"]}]}

#: the last format a wfengine that shares one entry per repeated Id read (and its revision)
SHARED_FORMAT, SHARED_REVISION = 5, "0020"

#: top-level Review, then block S: its own Review, then Check (four eyes on its Review)
XPDL = b"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="pkg" Name="pkg">
  <PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>t</Vendor><Created>x</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="rep">
      <ProcessHeader/>
      <ActivitySets>
        <ActivitySet Id="S">
          <Activities>
            <Activity Id="Review"><Implementation><No/></Implementation>
              <Performers><Performer>clerk</Performer></Performers></Activity>
            <Activity Id="Check"><Implementation><No/></Implementation>
              <Performers><Performer>clerk</Performer></Performers>
              <ExtendedAttributes>
                <ExtendedAttribute Name="DoNotAssignToPerformerOfActivity" Value="Review"/>
              </ExtendedAttributes></Activity>
          </Activities>
          <Transitions><Transition Id="s1" From="Review" To="Check"/></Transitions>
        </ActivitySet>
      </ActivitySets>
      <Activities>
        <Activity Id="Review"><Implementation><No/></Implementation>
          <Performers><Performer>clerk</Performer></Performers></Activity>
        <Activity Id="Block"><BlockActivity ActivitySetId="S"/></Activity>
      </Activities>
      <Transitions><Transition Id="t1" From="Review" To="Block"/></Transitions>
    </WorkflowProcess>
    <WorkflowProcess Id="plain">
      <ProcessHeader/>
      <Activities>
        <Activity Id="Review"><Implementation><No/></Implementation>
          <Performers><Performer>clerk</Performer></Performers></Activity>
        <Activity Id="Check"><Implementation><No/></Implementation>
          <Performers><Performer>clerk</Performer></Performers></Activity>
      </Activities>
      <Transitions><Transition Id="t1" From="Review" To="Check"/></Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""


@pytest.fixture
def url(db_url: str) -> Iterator[str]:
    """``db_url``, brought back to the current revision after the test (PostgreSQL's
    database is the session's: a test rolled back would leave the next ones at 0020)."""
    try:
        yield db_url
    finally:
        migrate.upgrade(db_url)


def _engine(url: str) -> Engine:
    return Engine(db_url=url, directory=Organisation.from_data(ORG))


def _complete(e: Engine, iid: str, who: str) -> None:
    (item,) = e.work_items(iid)
    e.complete_work_item(item.id, user=who)


@pytest.fixture
def stored(db_url: str) -> dict[str, str]:
    """A ``rep`` instance whose top-level Review alice did and block S's Review bob did
    (Check offered to alice only), and a ``plain`` instance at its Check; the engine closed."""
    with _engine(db_url) as e:
        e.deploy(load_xpdl(XPDL))
        rep = e.start_process("rep")
        _complete(e, rep, "alice")
        _complete(e, rep, "bob")
        plain = e.start_process("plain")
        _complete(e, plain, "alice")
        assert [w.assignees for w in e.work_items(rep)] == [("alice",)]
    return {"rep": rep, "plain": plain}


def _rows(url: str) -> dict[str, tuple[int, dict[str, Any]]]:
    p = schema.process_instances
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(sa.select(p.c.id, p.c.version, p.c.state_blob)).all()
    finally:
        engine.dispose()
    return {iid: (version, document) for iid, version, document in found}


def test_a_document_with_scoped_keys_is_of_a_format_the_older_wfengine_refuses(
    url: str, stored: dict[str, str]
) -> None:
    _, document = _rows(url)[stored["rep"]]
    assert document["scoped_keys"] is True
    assert document["performers"] == {"Review": "alice", "S/Review": "bob"}
    assert document["format"] > SHARED_FORMAT
    # the format's revision is one the older wfengine does not know: it refuses the database
    revision = FORMAT_REVISIONS[document["format"]]
    assert revision != SHARED_REVISION and migrate.is_known_revision(revision)
    assert _newer_than(revision, SHARED_REVISION)


def _newer_than(revision: str, older: str) -> bool:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate._config())
    return older in {r.revision for r in script.iterate_revisions(revision, "base")}


def test_a_format_5_document_reads_as_it_is() -> None:
    """Documents written before the format (with scoped keys or without) read as they did."""
    for old in (
        {"format": 5, "scoped_keys": True, "performers": {"Review": "a", "S/Review": "b"}},
        {"format": 5, "performers": {"Review": "a"}},
    ):
        new = current_document(old, "pi-7")
        assert new == {**old, "format": CURRENT_FORMAT}
        assert old["format"] == 5  # not changed in place


def test_a_rollback_leaves_the_older_wfengine_only_the_documents_it_reads(
    url: str, stored: dict[str, str]
) -> None:
    """Rolled back to the revision before, the plain instance's document says format 5 (its
    row version counting the change); the scoped one says a newer format, which a wfengine
    of format 5 refuses. Upgraded again, both carry on."""
    before = _rows(url)
    migrate.downgrade(url, SHARED_REVISION)
    after = _rows(url)
    rep, plain = stored["rep"], stored["plain"]
    assert after[plain] == (before[plain][0] + 1, {**before[plain][1], "format": SHARED_FORMAT})
    assert after[rep] == before[rep]
    assert after[rep][1]["format"] > SHARED_FORMAT
    migrate.upgrade(url)
    with _engine(url) as e:
        _complete(e, plain, "bob")
        assert e.instance(plain).state is ProcessState.COMPLETED
        (item,) = e.work_items(rep)
        with pytest.raises(NotAuthorizedError, match="'bob' performed activity 'Review'"):
            e.complete_work_item(item.id, user="bob")
        _complete(e, rep, "alice")
        assert e.instance(rep).state is ProcessState.COMPLETED


def test_a_document_written_before_the_format_is_marked_for_a_rollback(
    url: str, stored: dict[str, str]
) -> None:
    """A format 5 document with scoped keys (written between scoped keys and format 6) is
    given format 6 by a rollback, so the older wfengine refuses it too."""
    p = schema.process_instances
    rep = stored["rep"]
    version, document = _rows(url)[rep]
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                p.update().where(p.c.id == rep).values(state_blob={**document, "format": 5})
            )
    finally:
        engine.dispose()
    migrate.downgrade(url, SHARED_REVISION)
    assert _rows(url)[rep] == (version + 1, {**document, "format": 6})
