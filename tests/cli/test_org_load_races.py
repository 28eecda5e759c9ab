"""``wfengine org load`` while work is being offered: the open work ends up offered by the
organisation that is stored, whatever offered it meanwhile.

- A worker offering work while the load ran still had the old organisation (it takes up a
  new one between polls); what it offered after the load's re-offer had read the open work
  stayed with the old organisation's people for good: people who may have left, from whom
  nobody could take it back (hundreds of 2,000 items in the hunt's run).
- Two loads at once (a scheduled sync and an operator) each re-offered by their own
  organisation, instance by instance, leaving the work split between them.
"""

from __future__ import annotations

import pytest

from tests.cli.test_worker_org_reload import _load, _org, _run_until_idle, url
from wfengine.cli.database import open_engine
from wfengine.runtime.reoffer import reoffer_work
from wfengine.runtime.sql.store import SqlStore
from wfengine.worklist.org_store import organisation_revision, save_organisation

__all__ = ["url"]  # the fixture, shared with test_worker_org_reload


def _assignees(url: str) -> list[tuple[str, ...]]:
    reader = open_engine(url)
    try:
        return [w.assignees for w in reader.store.open_work_items()]
    finally:
        reader.close()


def test_work_a_worker_offered_by_the_old_organisation_is_offered_again_by_the_new(
    url: str,
) -> None:
    running = open_engine(url, defer=False)  # a worker's thread engine: it read ann's
    try:
        before = running.start_process("ticket")  # offered before the load: the load mends it
        _load(url, _org("ben"))  # ann left; (the load's own re-offer is below)
        loader = open_engine(url)
        try:
            reoffer_work(loader)
        finally:
            loader.close()
        # the worker has not looked yet: it offers by ann's organisation, after the re-offer
        late = running.start_process("ticket")
        assert _assignees(url) == [("ben",), ("ann",)]
        _run_until_idle(running)  # between polls it takes up ben's, and mends what it offered
        assert _assignees(url) == [("ben",), ("ben",)]
        assert {w.instance_id for w in running.store.open_work_items()} == {before, late}
    finally:
        running.close()


def test_a_worker_taking_up_an_organisation_reads_again_only_what_it_offered_since(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Work offered before the worker last saw its organisation current is the load's to
    mend; the worker re-offers only what it offered after (a load costs a worker little)."""
    import wfengine.worklist.org_watch as org_watch

    seconds = iter(range(0, 10**6, 10))  # every poll a look (the watch looks once a second)
    monkeypatch.setattr(org_watch, "monotonic", lambda: float(next(seconds)))
    running = open_engine(url, defer=False)
    try:
        early = running.start_process("ticket")
        _run_until_idle(running)  # it looks: ann's is current
        _load(url, _org("ben"))  # without the load's own re-offer
        late = running.start_process("ticket")
        _run_until_idle(running)
        offered = {w.instance_id: w.assignees for w in running.store.open_work_items()}
        assert offered == {early: ("ann",), late: ("ben",)}  # (early is the load's to mend)
    finally:
        running.close()


def test_of_two_loads_at_once_the_one_stored_last_offers_the_work(url: str) -> None:
    engine = open_engine(url, defer=False)
    try:
        for _ in range(3):
            engine.start_process("ticket")
    finally:
        engine.close()
    first, second = open_engine(url), open_engine(url)
    try:
        assert isinstance(first.store, SqlStore) and isinstance(second.store, SqlStore)
        erin, frank = _org("erin"), _org("frank")
        first_revision = save_organisation(first.store, erin)
        first.directory = erin
        second_revision = save_organisation(second.store, frank)
        second.directory = frank
        assert second_revision == first_revision + 1 == organisation_revision(first.store)
        done = reoffer_work(
            second, still_current=lambda: organisation_revision(second.store) == second_revision
        )
        assert len(done) == 3
        # the first load's re-offer comes last: it finds its organisation replaced and stops
        store = first.store

        def still_first() -> bool:
            return organisation_revision(store) == first_revision

        assert reoffer_work(first, still_current=still_first) == []
    finally:
        first.close()
        second.close()
    assert _assignees(url) == [("frank",)] * 3
