"""A database whose driver is not installed (``pip install wfengine`` without the ``postgres``
extra): a StoreError saying what to install, and exit status 2 on the command line, never a
bare ModuleNotFoundError under SQLAlchemy's frames.

The missing driver is simulated in this process: ``sys.modules[name] = None`` makes ``import
name`` raise ModuleNotFoundError, as on an installation without it (psycopg is installed
where the suite runs).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

from tests.cli.databases import automatic, cli, write
from wfengine.errors import StoreError
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql.connect import create_engine

#: nothing listens there: were the driver loaded, a connection would be refused instead
PG = "postgresql+psycopg://wf:secret@127.0.0.1:1/none"
INSTALL = "PostgreSQL needs psycopg 3, which is not installed: pip install 'wfengine[postgres]'"


@pytest.fixture
def no_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)


@pytest.mark.usefixtures("no_psycopg")
@pytest.mark.parametrize("url", [PG, "postgresql://wf:secret@127.0.0.1:1/none"])
def test_the_python_api_says_what_to_install(url: str) -> None:
    with pytest.raises(StoreError) as raised:
        Engine(db_url=url)
    message = str(raised.value)
    assert INSTALL in message
    assert "127.0.0.1:1/none" in message and "secret" not in message
    with pytest.raises(StoreError, match=r"needs psycopg 3"):
        create_engine(url)  # what the migrations open


@pytest.mark.usefixtures("no_psycopg")
@pytest.mark.parametrize(
    "args",
    [
        ["instances"],
        ["db", "upgrade"],
        ["db", "current"],
        ["audit"],
        ["worklist", "--user", "ann"],
        ["run", "{xpdl}"],
        ["instance", "start", "{xpdl}"],
    ],
)
def test_every_command_is_exit_2_with_the_install_line(args: list[str], tmp_path: Path) -> None:
    xpdl = write(tmp_path, automatic())
    result = cli(*(a.format(xpdl=xpdl) for a in args), "--db", PG)
    assert result.exit_code == 2, result.output
    assert INSTALL in result.stderr
    assert "Traceback" not in result.output and "secret" not in result.output


def test_a_driver_that_is_there_but_fails_to_import_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """psycopg without its C library: installed, and the install line still the cure."""

    def broken() -> None:
        raise ImportError("no pq wrapper available")

    monkeypatch.setattr(PGDialect_psycopg, "import_dbapi", broken)
    with pytest.raises(StoreError, match=r"psycopg 3, which fails to import \(no pq wrapper"):
        Engine(db_url=PG)


def test_another_missing_driver_is_named_with_its_module(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A Python built without sqlite3: the driver and the module it needs."""
    monkeypatch.setitem(sys.modules, "sqlite3", None)
    with pytest.raises(StoreError, match=r"driver 'pysqlite' needs the module 'sqlite3'"):
        Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}")
    assert not (tmp_path / "wf.db").exists()
