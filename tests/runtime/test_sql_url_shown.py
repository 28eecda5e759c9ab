"""A SQLite URL with a query is shown in messages as the user wrote it.

``sqlite:///file:/p/wf.db?mode=ro&uri=true`` used to appear as ``sqlite:///file%3A/p/wf.db?...``
in every message (SQLAlchemy escapes the colon once there is a query), which reads as another
file.
"""

from __future__ import annotations

import pytest

from wfengine.runtime.sql.connect import shown


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///file:/p/wf.db?mode=ro&uri=true",
        "sqlite:////tmp/wf.db?timeout=5",
        "sqlite:///C:/data/wf.db?mode=ro&uri=true",
    ],
)
def test_a_sqlite_url_with_a_query_is_shown_as_written(url: str) -> None:
    assert shown(url) == url


def test_a_postgresql_url_with_a_query_still_hides_its_password() -> None:
    shown_url = shown("postgresql://ada:secret@db.example/wf?sslmode=require")
    assert shown_url == "postgresql+psycopg://ada:***@db.example/wf?sslmode=require"
