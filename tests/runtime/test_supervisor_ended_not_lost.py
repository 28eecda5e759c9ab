"""A lone ``wfengine worker`` warned "lost the leases of job-N" for jobs it finished itself: the
child's commit deletes the job's row a moment before its "end" event reaches the supervisor,
and a renewal made in between found no row to renew. A row that is gone is a job carried out,
not a lease lost; only a row still stored (another worker holds it now) is lost.

The order of events is driven here (the renewal runs between the commit and the "end"
event), with a stand-in engine: no timing, no sleeps."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest

from wfengine.runtime.supervisor import Supervisor

OWNER = "host:1:child"


class _Jobs:
    """The jobs table as the renewal finds it: ``job-1`` committed (its row deleted),
    ``job-2`` taken over by another worker."""

    def job(self, job_id: str) -> Any:
        return None if job_id == "job-1" else object()


class _Engine:
    def __init__(self) -> None:
        self.store = _Jobs()

    def renew_leases(self, ids: Sequence[str], owner: str, lease: Any) -> list[str]:
        return []  # neither row is this owner's any more


def test_a_job_committed_before_its_end_event_is_not_a_lease_lost(
    caplog: pytest.LogCaptureFixture,
) -> None:
    supervisor = Supervisor(lambda _fd: ["true"], _Engine(), lease=timedelta(seconds=60))  # type: ignore[arg-type]
    supervisor.book.note("claimed", OWNER, ["job-1", "job-2"], 0.0)
    supervisor.book.note("start", OWNER, ["job-1"], 0.0)
    supervisor.book.note("start", OWNER, ["job-2"], 0.0)
    supervisor._pump = lambda _timeout: None  # type: ignore[method-assign]  # no "end" yet
    with caplog.at_level(logging.WARNING, logger="wfengine.supervisor"):
        supervisor._renew()
    warnings = [r.getMessage() for r in caplog.records if "lost the leases" in r.getMessage()]
    assert warnings == [f"{OWNER} lost the leases of job-2"]
    # the committed one is followed until its "end" comes; the lost one no longer renewed
    supervisor.book.note("end", OWNER, ["job-1"], 0.0)
    assert supervisor.book.claimed() == {OWNER: ["job-2"]}
    assert supervisor._lost == {(OWNER, "job-2")}
