"""``wfengine db upgrade|current``: the database from ``--db`` or ``$WFENGINE_DB``, as every other
command takes it; with a URL of a database wfengine does not store in: exit 2 with the message
every other command gives, no traceback (it was a ModuleNotFoundError for the driver
SQLAlchemy looked for)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli.databases import cli, sqlite_url
from wfengine.cli.main import main


@pytest.mark.parametrize("command", ["upgrade", "current"])
@pytest.mark.parametrize("url", ["mysql://u@h/d", "oracle://u@h/d", "mssql+pyodbc://u@h/d"])
def test_a_database_wfengine_does_not_store_in_is_a_usage_error(command: str, url: str) -> None:
    result = cli("db", command, "--db", url)
    assert result.exit_code == 2, result.output
    assert "unsupported database" in result.stderr
    assert "wfengine stores in SQLite or PostgreSQL" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    listing = cli("instances", "--db", url)  # the same as every other command
    assert listing.exit_code == 2 and listing.stderr == result.stderr


def test_the_database_may_come_from_the_environment(tmp_path: Path) -> None:
    """``WFENGINE_DB=... wfengine db current`` was "Missing option '--db'", exit 2."""
    env = {"WFENGINE_DB": sqlite_url(tmp_path)}
    upgraded = CliRunner().invoke(main, ["db", "upgrade"], env=env)
    assert upgraded.exit_code == 0, upgraded.output
    assert "schema upgraded from empty to" in upgraded.stdout
    current = CliRunner().invoke(main, ["db", "current"], env=env)
    assert current.exit_code == 0, current.output
    assert "(up to date)" in current.stdout
    unset = CliRunner().invoke(main, ["db", "current"], env={"WFENGINE_DB": None})
    assert unset.exit_code == 2 and "Missing option '--db'" in unset.stderr  # still required


def _older_database(tmp_path: Path) -> Path:
    """A SQLite file at the revision before the one this wfengine needs."""
    from alembic.script import ScriptDirectory

    from wfengine.runtime.sql.migrate import _config, downgrade, head_revision, upgrade

    path = tmp_path / "wf.db"
    upgrade(f"sqlite:///{path}")
    previous = ScriptDirectory.from_config(_config()).get_revision(head_revision()).down_revision
    assert isinstance(previous, str)
    downgrade(f"sqlite:///{path}", previous)
    return path


def test_a_refused_upgrade_says_so_as_every_command_does(tmp_path: Path) -> None:
    """A read-only database printed SQLAlchemy's raw text: the statement, and a link to its
    background page; nothing said whether anything changed or what to check."""
    path = _older_database(tmp_path)
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    result = cli("db", "upgrade", "--db", read_only)
    assert result.exit_code == 2, result.output
    message = result.stderr
    assert "the database refused it (OperationalError: attempt to write a readonly database)" in (
        message
    )
    assert "nothing was changed" in message and "then run it again" in message
    assert "[SQL:" not in message and "sqlalche.me" not in message


def test_tables_without_a_revision_are_refused_saying_why(tmp_path: Path) -> None:
    """The engine sent the user to ``db upgrade`` ("schema revision none"), which then failed
    on "table deployments already exists"."""
    import sqlalchemy as sa

    from wfengine import Engine
    from wfengine.errors import SchemaOutdatedError

    url = sqlite_url(tmp_path)
    assert cli("db", "upgrade", "--db", url).exit_code == 0
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE wfengine_alembic_version")
    engine.dispose()
    says = "has tables named as wfengine's (.*) but no wfengine schema revision"
    with pytest.raises(SchemaOutdatedError, match=says):
        Engine(db_url=url)
    result = cli("db", "upgrade", "--db", url)
    assert result.exit_code == 2, result.output
    assert re.search(says, result.stderr)
    assert "already exists" not in result.stderr


def test_an_application_table_named_as_one_of_wfengines_is_refused_naming_it(
    tmp_path: Path,
) -> None:
    """A database with its own ``jobs`` table gave a raw "table jobs already exists" and
    the CLI's advice (db upgrade) looped back to the same error."""
    import sqlalchemy as sa

    from wfengine import Engine
    from wfengine.errors import SchemaOutdatedError

    url = sqlite_url(tmp_path)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE jobs (id INTEGER PRIMARY KEY, name TEXT)")
    engine.dispose()
    with pytest.raises(SchemaOutdatedError, match=r"tables named as wfengine's \(jobs\)"):
        Engine(db_url=url)
    result = cli("db", "upgrade", "--db", url)
    assert result.exit_code == 2, result.output
    assert "tables named as wfengine's (jobs)" in result.stderr
    assert "already exists" not in result.stderr


def test_db_current_refuses_tables_without_a_revision_as_db_upgrade_does(tmp_path: Path) -> None:
    """``db current`` said "revision none ... (needs `wfengine db upgrade`)", exit 0, and
    ``db upgrade`` then refused: advice that went round in a loop."""
    import sqlalchemy as sa

    url = sqlite_url(tmp_path)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE jobs (id INTEGER PRIMARY KEY, name TEXT)")
    engine.dispose()
    current = cli("db", "current", "--db", url)
    assert current.exit_code == 2, current.output
    assert "needs `wfengine db upgrade`" not in current.output + current.stderr
    upgrade = cli("db", "upgrade", "--db", url)
    assert upgrade.exit_code == 2, upgrade.output
    said = upgrade.stderr.removeprefix(f"Error: cannot upgrade {url}: ")
    assert "has tables named as wfengine's (jobs) but no wfengine schema revision" in said
    assert current.stderr == f"Error: cannot use {url}: {said}"
