"""A SQLite URL naming a directory is refused, saying so.

``--db sqlite:///DIR`` where DIR is a directory got SQLite's "unable to open database file",
read as a file wfengine may not write: the error blamed permissions or a read-only mount.
Now the path is checked before anything is opened: a StoreError (exit status 2 on the
command line) saying the path is a directory and to name a file in it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from wfengine.cli.main import main
from wfengine.errors import StoreError
from wfengine.runtime.sql.connect import create_engine
from wfengine.runtime.sql.store import SqlStore


@pytest.mark.parametrize("uri", [False, True])
def test_a_store_on_a_directory_is_refused_naming_it(tmp_path: Path, uri: bool) -> None:
    url = f"sqlite:///file:{tmp_path}?uri=true" if uri else f"sqlite:///{tmp_path}"
    with pytest.raises(StoreError, match=r"is a directory: name a file in it") as raised:
        SqlStore(url, create=True)
    assert f"the database path {tmp_path} is a directory" in str(raised.value)
    assert list(tmp_path.iterdir()) == []  # nothing made in it
    with pytest.raises(StoreError, match=r"is a directory"):
        create_engine(url)


@pytest.mark.parametrize(
    "command",
    [["worker", "--until-idle"], ["instances"], ["db", "upgrade"]],
)
def test_a_command_given_a_directory_exits_2_saying_so(tmp_path: Path, command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--db", f"sqlite:///{tmp_path}"])
    assert result.exit_code == 2, result.output
    assert f"the database path {tmp_path} is a directory: name a file in it" in result.output
    assert "permissions" not in result.output
