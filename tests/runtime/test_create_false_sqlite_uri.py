"""``create=False`` refuses a SQLite database that does not exist, nothing created, in the
``file:`` URI form too (``sqlite:///file:PATH?uri=true``, the form the README gives for
SQLite's parameters): without a ``mode=`` SQLite opens such a URI read-write-create, and an
empty database was left at a mistyped path (the CLI's operator commands open with
``create=False``). A URI that makes no file behaves as before."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from tests.cli.databases import cli
from wfengine import Engine, StoreError
from wfengine.runtime.sql.store import SqlStore


def _refused(url: str) -> str:
    with pytest.raises(StoreError) as raised:
        Engine.from_url(url, create=False)
    return str(raised.value)


@pytest.mark.parametrize(
    "uri",
    [
        "file:{path}?uri=true",
        "file:{path}?timeout=5&uri=true",
        "file:{path}?mode=rwc&uri=true",
        "file://{path}?uri=true",  # (an empty authority before the path)
        "file://localhost{path}?cache=shared&uri=true",
    ],
)
def test_a_missing_file_uri_is_the_plain_forms_store_error(tmp_path: Path, uri: str) -> None:
    path = tmp_path / "typo.db"
    plain = _refused(f"sqlite:///{path}")
    said = _refused("sqlite:///" + uri.format(path=path))
    assert said.startswith(f"no database at {path}: nothing was created")
    assert said.split(" (")[0] == plain.split(" (")[0]
    with pytest.raises(StoreError, match=r"no database at .*typo\.db: nothing was created"):
        SqlStore("sqlite:///" + uri.format(path=path), create=False)
    assert list(tmp_path.iterdir()) == []


def test_an_escaped_path_is_read_as_sqlite_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "my db.db"
    said = _refused(f"sqlite:///file:{tmp_path}/my%20db.db?uri=true")
    assert said.startswith(f"no database at {path}: nothing was created")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_uri_and_an_in_memory_one_still_open(tmp_path: Path) -> None:
    path = tmp_path / "wf.db"
    Engine(db_url=f"sqlite:///{path}").close()
    for query in ("uri=true", "mode=ro&uri=true"):
        Engine.from_url(f"sqlite:///file:{path}?{query}", create=False).close()
    with (
        warnings.catch_warnings(),
        pytest.raises(StoreError, match="has no wfengine schema; it is an in-memory database"),
    ):
        warnings.simplefilter("ignore", DeprecationWarning)  # (SQLAlchemy's, on its pool)
        Engine.from_url("sqlite:///file:mem1?mode=memory&uri=true", create=False)


def test_an_operator_command_on_a_mistyped_uri_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "typo.db"
    out = cli("instances", "--db", f"sqlite:///file:{path}?uri=true")
    assert out.exit_code == 2, out.output
    assert f"no database at {path}: nothing was created" in out.stderr
    assert list(tmp_path.iterdir()) == []
