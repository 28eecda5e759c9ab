"""A SQLite URL written with two slashes (``sqlite://wf.db``, ``sqlite://:memory:``) puts a
host where SQLite has none: a :class:`~wfengine.errors.StoreError` saying it takes three
slashes, exit status 2 with one ``Error:`` line from the command line. It was SQLAlchemy's
``ArgumentError`` (a traceback) for ``sqlite://wf.db``, and for ``sqlite://:memory:`` a port
that is no number, pointing at a PostgreSQL URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.databases import cli
from wfengine.errors import StoreError
from wfengine.runtime.engine import Engine

URLS = ["sqlite://wf.db", "sqlite://:memory:", "sqlite+pysqlite://host/wf.db", "sqlite://h:1/x"]


@pytest.mark.parametrize("url", URLS)
def test_engine_raises_a_store_error_saying_three_slashes(url: str) -> None:
    with pytest.raises(StoreError, match=r"a SQLite URL has no host, so it takes three slashes"):
        Engine.from_url(url)


@pytest.mark.parametrize("url", URLS)
def test_a_command_says_so_on_one_line_with_exit_status_2(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("db", "upgrade", "--db", url)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "sqlite:///wf.db" in lines[0], lines
    assert list(tmp_path.iterdir()) == []  # nothing made


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_the_memory_forms_sqlalchemy_takes_are_still_taken(url: str) -> None:
    with Engine.from_url(url) as engine:
        assert engine.instances() == []
