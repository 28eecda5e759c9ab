"""``wfengine demo crm --db`` refuses a database that is gone when the demo ends (exit 2, a
plain message naming it), before anything runs. Before, ``memory://`` failed with
SQLAlchemy's "Can't load plugin: sqlalchemy.dialects:memory", and ``sqlite://`` ran the day
and then pointed to ``wfengine stats --db sqlite://``, a trail that no longer existed."""

from __future__ import annotations

import pytest

from tests.cli.databases import cli


@pytest.mark.parametrize(
    "url",
    ["memory://", "sqlite://", "sqlite:///:memory:", "sqlite:///file:day?mode=memory&uri=true"],
)
def test_an_in_memory_database_is_refused_naming_it(url: str) -> None:
    result = cli("demo", "crm", "--complaints", "1", "--db", url)
    assert result.exit_code == 2, result.output
    assert f"{url} is a database that is gone when the demo ends" in result.output
    assert "Can't load plugin" not in result.output
    assert "The day's trail" not in result.output
