"""A fresh SQLite database file per hypothesis example.

Hypothesis runs every example of a test inside one call of the test function, so a
function-scoped ``tmp_path`` would be shared by all of them. :class:`SqliteFiles` hands out a
new file for each example instead: a copy of an empty database whose schema was created once
per session (creating the schema costs about ten times as much as copying it).

Use the session-scoped ``sqlite_files`` fixture: import ``sqlite_files_fixture`` into the test
module.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from wfengine.runtime.engine import Engine


class SqliteFiles:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._template = root / "template.db"
        Engine(db_url=self.url(self._template)).close()  # creates the schema
        # closing the last connection checkpointed the write-ahead log into the file
        assert not self._template.with_name("template.db-wal").exists()
        self._serial = itertools.count(1)

    @staticmethod
    def url(path: Path) -> str:
        return f"sqlite:///{path}"

    def fresh(self) -> str:
        """The URL of a new database file with the current schema and nothing in it."""
        path = self.root / f"example-{next(self._serial)}.db"
        shutil.copyfile(self._template, path)
        return self.url(path)


@pytest.fixture(scope="session", name="sqlite_files")
def sqlite_files_fixture(tmp_path_factory: pytest.TempPathFactory) -> SqliteFiles:
    return SqliteFiles(tmp_path_factory.mktemp("examples"))
