"""``verify_audit`` (``wfengine audit verify``) on rows edited to hold what cannot be decoded:
a detail that is not JSON, a time that is not one (or one Python has no value for). Those are
the tampering the check exists to find: each is a break naming its instance and event, and
the other instances are still checked (the check used to stop on a decoding traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audit.edited_rows import run_sql, started
from tests.cli.databases import cli
from tests.runtime.conftest import store_url
from wfengine import Engine


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    found = store_url(request, request.param, tmp_path)
    assert found is not None
    return found


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def test_a_time_that_is_no_time_is_a_break_and_the_rest_is_checked(url: str) -> None:
    """SQLite keeps any text in the column; a PostgreSQL timestamp may be ``infinity``,
    which Python has no value for. Both broke the whole check with a traceback."""
    first, second, third = started(url, 3)
    bad = "garbage" if _is_sqlite(url) else "infinity"
    run_sql(
        url, f"UPDATE audit_events SET at = '{bad}' WHERE instance_id = :i AND seq = 2", i=first
    )
    with Engine(db_url=url) as e:
        report = e.verify_audit()
        assert report.instances == 3
        (found,) = report.breaks
        assert (found.instance_id, found.seq) == (first, 2)
        assert "time" in found.reason and bad in found.reason and "unreadable" in found.reason
        assert e.verify_audit(second).ok and e.verify_audit(third).ok
        # the other instances' events were all checked
        assert report.events >= len(e.audit(second)) + len(e.audit(third))


@pytest.fixture(params=["'{not json'", "X'FF'"])
def not_json(request: pytest.FixtureRequest) -> str:
    """SQL for a detail that is no JSON: text, and bytes that are not even UTF-8."""
    value = request.param
    assert isinstance(value, str)
    return value


def test_a_detail_that_is_not_json_is_a_break(tmp_path: Path, not_json: str) -> None:
    """Only SQLite can hold it: a PostgreSQL json column refuses text that is not JSON."""
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    first, second = started(url, 2)
    run_sql(
        url,
        f"UPDATE audit_events SET detail = {not_json} WHERE instance_id = :i AND seq = 1",
        i=first,
    )
    with Engine(db_url=url) as e:
        report = e.verify_audit()
        assert report.instances == 2
        (found,) = report.breaks
        assert (found.instance_id, found.seq) == (first, 1)
        assert "detail is not JSON" in found.reason
        assert e.verify_audit(second).ok


def test_a_first_row_unreadable_is_not_reported_as_no_events_stored(tmp_path: Path) -> None:
    """The first row is the one the instance's trail starts from: the break names it, not
    'none is stored'."""
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    (only,) = started(url, 1)
    run_sql(url, "UPDATE audit_events SET at = X'00' WHERE instance_id = :i AND seq = 1", i=only)
    with Engine(db_url=url) as e:
        (found,) = e.verify_audit().breaks
        assert (found.instance_id, found.seq) == (only, 1) and "unreadable" in found.reason


def test_the_cli_prints_a_tampered_line_per_instance(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    first, second, _ = started(url, 3)
    run_sql(
        url, "UPDATE audit_events SET detail = '{x' WHERE instance_id = :i AND seq = 1", i=first
    )
    run_sql(url, "UPDATE audit_events SET at = 'noon' WHERE instance_id = :i AND seq = 2", i=second)
    out = cli("audit", "verify", "--db", url)
    assert out.exit_code == 1, out.output
    assert f"tampered: instance '{first}', event 1: its detail is not JSON" in out.stdout
    assert f"tampered: instance '{second}', event 2: its time 'noon' is unreadable" in out.stdout
    assert "2 of 3 instances' audit trails do not verify" in out.output


def test_a_trail_moved_to_an_id_with_no_instance_is_counted(tmp_path: Path) -> None:
    """The count said '2 of 1 instances' when a row was moved to an unknown instance id."""
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    (only,) = started(url, 1)
    run_sql(
        url,
        "UPDATE audit_events SET instance_id = 'ghost' WHERE instance_id = :i AND seq = 2",
        i=only,
    )
    with Engine(db_url=url) as e:
        report = e.verify_audit()
        assert report.instances == 2 and {b.instance_id for b in report.breaks} == {only, "ghost"}
    out = cli("audit", "verify", "--db", url)
    assert out.exit_code == 1 and "2 of 2 instances' audit trails do not verify" in out.output
