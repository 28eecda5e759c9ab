"""The trail's reads on a row edited to hold what cannot be decoded (a detail that is not
JSON, a time that is not one): ``Engine.audit``, ``audit_events``, ``iter_events``, the
exports, ``wfengine audit`` (every format) and ``wfengine status`` leave that row out with a
WARNING on the ``wfengine.store`` logger naming its instance and seq, what is wrong, and
``wfengine audit verify`` (as a listing leaves out a ``process_instances`` row it cannot read),
and read every other row. They used to stop on a decoding traceback, exit 1, and with them
every other instance's events."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest

from tests.audit.edited_rows import run_sql, started
from tests.cli.databases import cli
from tests.runtime.conftest import store_url
from wfengine import Engine
from wfengine.audit import iter_events, write_xes


def _keys(events: list) -> list[tuple[str, int]]:  # type: ignore[type-arg]
    return [(ev.instance_id, ev.seq) for ev in events]


@pytest.fixture(params=["detail", "time"])
def spoiled(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, list[str], str]:
    """A SQLite trail of 3 instances whose first instance's event 2 holds no JSON or no time;
    the url, the ids and what the message says is wrong."""
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    ids = started(url, 3)
    if request.param == "detail":
        edit, why = "detail = 'not json'", "its detail is not JSON: 'not json'"
    else:
        edit, why = "at = 'garbage'", "its time 'garbage' is unreadable"
    run_sql(url, f"UPDATE audit_events SET {edit} WHERE instance_id = :i AND seq = 2", i=ids[0])
    return url, ids, why


def test_the_python_reads_leave_the_row_out_and_name_it(
    spoiled: tuple[str, list[str], str], caplog: pytest.LogCaptureFixture
) -> None:
    url, ids, why = spoiled
    with Engine(db_url=url) as e, caplog.at_level(logging.WARNING, "wfengine.store"):
        trail = e.audit(ids[0])
        assert trail and 2 not in [ev.seq for ev in trail] and trail[0].seq == 1
        named = [r.getMessage() for r in caplog.records if r.name == "wfengine.store"]
        assert named and all(
            f"audit_events row of instance '{ids[0]}' with seq 2" in m
            and why in m
            and "wfengine audit verify" in m
            for m in named
        )
        every = e.audit_events()
        assert (ids[0], 2) not in _keys(every)
        assert {iid for iid, _ in _keys(every)} == set(ids)
        assert len(every) == sum(len(e.audit(i)) for i in ids)
        # pages of one event: the page holding the bad row is read on, not taken as the end
        paged = list(iter_events(e, page=1))
        assert _keys(paged) == _keys(every)
        assert _keys(list(iter_events(e, page=2, instance_id=ids[0]))) == _keys(trail)
        out = io.BytesIO()
        write_xes(e, out)
        assert out.getvalue().count(b"<trace>") == 3


def test_every_listing_format_writes_the_other_events(spoiled: tuple[str, list[str], str]) -> None:
    url, ids, why = spoiled
    for fmt in ("table", "csv", "jsonl", "xes"):
        out = cli("audit", "--db", url, "--format", fmt)
        assert out.exit_code == 0, out.output
        assert f"wfengine audit: skipped the audit_events row of instance '{ids[0]}'" in out.stderr
        assert why in out.stderr and "Traceback" not in out.output
        assert all(i in out.stdout for i in ids)
    lines = cli("audit", "--db", url, "--format", "jsonl").stdout.splitlines()
    keys = [(row["instance_id"], row["seq"]) for row in map(json.loads, lines)]
    assert (ids[0], 1) in keys and (ids[0], 3) in keys and (ids[0], 2) not in keys


def test_status_shows_the_rest_of_the_history(spoiled: tuple[str, list[str], str]) -> None:
    url, ids, why = spoiled
    for extra in ((), ("--json",)):
        out = cli("status", ids[0], "--db", url, *extra)
        assert out.exit_code == 0, out.output
        assert f"wfengine status: skipped the audit_events row of instance '{ids[0]}'" in (
            out.stderr
        )
        assert why in out.stderr
    history = json.loads(cli("status", ids[0], "--db", url, "--json").stdout)["history"]
    assert history and 2 not in [h["seq"] for h in history]


@pytest.mark.parametrize("kind", ["postgres"])
def test_a_time_python_has_no_value_for_is_left_out(
    request: pytest.FixtureRequest, tmp_path: Path, kind: str
) -> None:
    """A PostgreSQL timestamp may be ``infinity``, which the driver raised on in the fetch."""
    url = store_url(request, kind, tmp_path)
    assert url is not None
    first, second = started(url, 2)
    run_sql(
        url, "UPDATE audit_events SET at = 'infinity' WHERE instance_id = :i AND seq = 2", i=first
    )
    with Engine(db_url=url) as e:
        assert 2 not in [ev.seq for ev in e.audit(first)]
        keys = _keys(list(iter_events(e, page=1)))
        assert (first, 2) not in keys and (first, 1) in keys and (second, 1) in keys
