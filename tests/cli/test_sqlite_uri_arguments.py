"""A SQLite URL whose URI parameters SQLite would not read is refused, nothing opened:
``sqlite:///wf.db?mode=ro`` (no ``uri=true``: pysqlite dropped ``mode`` with a bare
SAWarning and the "read-only" command wrote to the database) and
``sqlite:////p/wf.db?mode=ro&uri=true`` (no ``file:``: SQLite made a new file named
``wf.db?mode=ro``). The message names the form SQLite reads,
``sqlite:///file:PATH?mode=ro&uri=true``, which keeps working, as do the driver's own
arguments (``timeout``)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from tests.cli.databases import cli, sqlite_url
from tests.cli.documents import LEAVE_REQUEST
from wfengine.errors import StoreError
from wfengine.runtime.engine import Engine


def _started(tmp_path: Path) -> Path:
    """A database file holding one running instance, pi-1."""
    assert cli("instance", "start", str(LEAVE_REQUEST), "--db", sqlite_url(tmp_path)).stdout
    return tmp_path / "wf.db"


def _state(path: Path) -> str:
    with Engine(db_url=f"sqlite:///{path}") as engine:
        return engine.instance("pi-1").state.value


def test_mode_ro_without_uri_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    path = _started(tmp_path)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        out = cli("instance", "suspend", "pi-1", "--db", f"sqlite:///{path}?mode=ro")
    assert out.exit_code == 2, out.output
    assert f"write sqlite:///file:{path}?mode=ro&uri=true" in out.stderr
    assert "open the database for writing" in out.stderr and "nothing was opened" in out.stderr
    assert not [w for w in seen if "not accepted by the pysqlite driver" in str(w.message)]
    assert "SAWarning" not in out.stderr
    assert _state(path) == "open.running"


def test_uri_true_without_file_makes_no_file_named_by_the_query(tmp_path: Path) -> None:
    path = _started(tmp_path)
    out = cli("instances", "--db", f"sqlite:///{path}?mode=ro&uri=true")
    assert out.exit_code == 2, out.output
    assert f"SQLite would open a file named {path}?mode=ro, not {path}" in out.stderr
    assert not [p.name for p in tmp_path.iterdir() if "?" in p.name]


def test_the_uri_form_and_driver_arguments_still_work(tmp_path: Path) -> None:
    path = _started(tmp_path)
    listed = cli("instances", "--db", f"sqlite:///file:{path}?mode=ro&uri=true")
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.startswith("pi-1\t")
    refused = cli("instance", "suspend", "pi-1", "--db", f"sqlite:///file:{path}?mode=ro&uri=true")
    assert refused.exit_code == 2 and _state(path) == "open.running"  # read-only indeed
    done = cli("instance", "suspend", "pi-1", "--db", f"sqlite:///{path}?timeout=5")
    assert done.exit_code == 0, done.output
    assert _state(path) == "open.not_running.suspended"


def test_an_engine_is_refused_the_url_too(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"sqlite:///file:.*wf\.db\?immutable=1&uri=true"):
        Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}?immutable=1")
    assert list(tmp_path.iterdir()) == []
