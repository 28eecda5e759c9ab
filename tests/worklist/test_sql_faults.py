"""What is kept beside the engine's state (comments, attachments, the organisation) survives a
database hiccup the way a command does: retried under the store's policy, and when the
database stays down a StoreUnavailableError with nothing stored lost or half-written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import DroppedConnections
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.errors import StoreUnavailableError
from wfengine.runtime.sql.retry import RetryPolicy
from wfengine.runtime.sql.store import SqlStore
from wfengine.worklist.notes import notes_for
from wfengine.worklist.org_store import read_organisation, save_organisation

FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.001, max_delay=0.002)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    store = SqlStore(f"sqlite:///{tmp_path / 'wf.db'}", retry=FAST_RETRY)
    directory = Organisation.from_data(ORG)
    with Engine(store=store, clock=VirtualClock(), directory=directory) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("quote", performer="clerk")
        e.deploy(pb.build())
        yield e


def _store(engine: Engine) -> SqlStore:
    assert isinstance(engine.store, SqlStore)
    return engine.store


def test_a_comment_is_written_once_through_dropped_connections(engine: Engine) -> None:
    iid = engine.start_process("p")
    notes = notes_for(engine)
    flaky = DroppedConnections(_store(engine), failures=2, where="comments")
    made = notes.add_comment("alice", iid, "customer called twice")
    assert flaky.raised == 2
    flaky.failures = 2
    assert [c.id for c in notes.comments("bob", iid)] == [made.id]  # the read retried too
    assert flaky.raised == 4


def test_an_attachment_survives_a_dropped_connection_on_each_table(engine: Engine) -> None:
    iid = engine.start_process("p")
    notes = notes_for(engine)
    blobs = DroppedConnections(_store(engine), failures=1, where="blobs")
    records = DroppedConnections(_store(engine), failures=1, where="attachments")
    made = notes.attach("alice", iid, "letter.txt", "text/plain", b"dear customer")
    assert (blobs.raised, records.raised) == (1, 1)
    blobs.failures = 1
    assert notes.download("bob", made.id) == (made, b"dear customer")
    assert blobs.raised == 2


def test_a_database_that_stays_down_says_so_and_loses_nothing(engine: Engine) -> None:
    iid = engine.start_process("p")
    notes = notes_for(engine)
    kept = notes.add_comment("alice", iid, "first")
    flaky = DroppedConnections(_store(engine), failures=10**6, where="comments")
    with pytest.raises(StoreUnavailableError, match=r"failed 4 times.*rolled back"):
        notes.add_comment("alice", iid, "second")
    with pytest.raises(StoreUnavailableError):
        notes.delete_comment("alice", kept.id)
    flaky.failures = 0
    assert [c.text for c in notes.comments("alice", iid)] == ["first"]


def test_the_organisation_is_saved_and_read_through_dropped_connections(
    tmp_path: Path,
) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'wf.db'}", retry=FAST_RETRY)
    try:
        org = Organisation.from_data(ORG)
        save_organisation(store, org)
        smaller = Organisation.from_data({"users": [{"id": "zed", "roles": ["clerk"]}]})
        # the memberships' insert, after the deletes: the retry runs the whole replacement again
        flaky = DroppedConnections(store, failures=2, where="INSERT INTO org_memberships")
        save_organisation(store, smaller)
        assert flaky.raised == 2
        reading = DroppedConnections(store, failures=1, where="org_roles")
        found = read_organisation(store)
        assert reading.raised == 1
        assert found is not None and found.document == smaller.document
        flaky.failures = 10**6
        with pytest.raises(StoreUnavailableError):
            save_organisation(store, org)
        flaky.failures = 0
        kept = read_organisation(store)
        assert kept is not None and kept.document == smaller.document
    finally:
        store.close()
