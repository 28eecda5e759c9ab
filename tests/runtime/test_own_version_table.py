"""wfengine's schema revision in a table of its own (``wfengine_alembic_version``).

A host keeping its own tables in wfengine's database (README, Durable execution) and migrating
them with its own Alembic shared Alembic's default ``alembic_version`` table with wfengine: an
engine called the host's revision "written by a newer wfengine: upgrade wfengine" and refused to
start, and the host's Alembic then met wfengine's revision there ("Can't locate revision").
A database an earlier wfengine wrote (its revision in ``alembic_version``) is read where it is by
an engine opening it, which leaves the row there (an engine never migrates a database itself, and
workers of the earlier wfengine still find it in a rolling upgrade); ``wfengine db upgrade`` moves
it. An engine reading the revision while that move commits sees it whole (it used to fail with a
raw "alembic_version does not exist", or call the tables revision-less: restore from a backup).
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner

from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import SchemaOutdatedError
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql import migrate
from wfengine.runtime.sql.connect import begin, create_engine
from wfengine.runtime.sql.schema import SCHEMA_REVISION

HOST_FIRST = "ae1027a6acf"
HOST_SECOND = "b71c0e2d9f3a"

_HOST_ENV = """\
from alembic import context
import sqlalchemy as sa

engine = sa.create_engine(context.config.get_main_option("sqlalchemy.url"))
with engine.connect() as conn:
    context.configure(connection=conn)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
"""
_HOST_FIRST = f"""\
import sqlalchemy as sa
from alembic import op

revision = "{HOST_FIRST}"
down_revision = None


def upgrade():
    op.create_table("customers", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("customers")
"""
_HOST_SECOND = f"""\
import sqlalchemy as sa
from alembic import op

revision = "{HOST_SECOND}"
down_revision = "{HOST_FIRST}"


def upgrade():
    op.add_column("customers", sa.Column("name", sa.Text))


def downgrade():
    op.drop_column("customers", "name")
"""


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each SQL store (on PostgreSQL one of its own beside the session's,
    which other tests leave wfengine's schema in)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'wf.db'}"
        return
    server: str = request.getfixturevalue("pg_server_url")
    name = f"wf_version_table_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _host_alembic(tmp_path: Path, url: str, *, second: bool = False) -> Config:
    """The host application's own Alembic (its default version table), at its first revision
    or with its second one added."""
    scripts = tmp_path / "host_migrations"
    (scripts / "versions").mkdir(parents=True, exist_ok=True)
    (scripts / "env.py").write_text(_HOST_ENV)
    (scripts / "versions" / "first.py").write_text(_HOST_FIRST)
    if second:
        (scripts / "versions" / "second.py").write_text(_HOST_SECOND)
    cfg = Config()
    cfg.set_main_option("script_location", str(scripts))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _rows(url: str, table: str) -> list[str] | None:
    """The revisions in ``table`` (None when there is no such table)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table(table):
                return None
            return sorted(conn.execute(sa.text(f"SELECT version_num FROM {table}")).scalars())
    finally:
        engine.dispose()


def _host_revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.participant("clerk")
    p.start("s").activity("work", performer="clerk").end("e")
    p.sequence("s", "work", "e")
    return pb


def _as_an_earlier_wfengine_left_it(url: str, *others: str) -> None:
    """wfengine's revision moved back to ``alembic_version`` (with ``others``: a host's rows
    beside it), as a wfengine before its own version table kept it."""
    engine = create_engine(url)
    try:
        with begin(engine) as conn:
            revision = conn.execute(
                sa.text("SELECT version_num FROM wfengine_alembic_version")
            ).scalar_one()
            conn.exec_driver_sql("DROP TABLE wfengine_alembic_version")
            conn.exec_driver_sql(
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
            )
            for row in (revision, *others):
                conn.execute(sa.text("INSERT INTO alembic_version VALUES (:r)"), {"r": row})
    finally:
        engine.dispose()


def test_a_host_migrating_its_own_tables_with_alembic_shares_the_database(
    fresh_url: str, tmp_path: Path
) -> None:
    command.upgrade(_host_alembic(tmp_path, fresh_url), "head")
    with Engine(db_url=fresh_url) as engine:  # was: "written by a newer wfengine"
        engine.deploy(_package().build())
        iid = engine.start_process("main")
    assert _host_revision(fresh_url) == HOST_FIRST
    # the host's next release migrates its tables (it met wfengine's revision, unknown to it)
    command.upgrade(_host_alembic(tmp_path, fresh_url, second=True), "head")
    assert _rows(fresh_url, "alembic_version") == [HOST_SECOND]
    assert _rows(fresh_url, migrate.VERSION_TABLE) == [SCHEMA_REVISION]
    runner = CliRunner()
    current = runner.invoke(main, ["db", "current", "--db", fresh_url])
    assert current.exit_code == 0, current.output
    assert f"revision {SCHEMA_REVISION}, needed {SCHEMA_REVISION} (up to date)" in current.output
    upgraded = runner.invoke(main, ["db", "upgrade", "--db", fresh_url])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"schema already at revision {SCHEMA_REVISION}" in upgraded.output
    with Engine(db_url=fresh_url) as engine:
        assert engine.instance(iid).process_id == "main"
    assert _rows(fresh_url, "alembic_version") == [HOST_SECOND]


def test_db_upgrade_beside_a_hosts_alembic_revision_creates_wfengines_schema(
    fresh_url: str, tmp_path: Path
) -> None:
    command.upgrade(_host_alembic(tmp_path, fresh_url), "head")
    result = CliRunner().invoke(main, ["db", "upgrade", "--db", fresh_url])
    assert result.exit_code == 0, result.output
    assert f"schema upgraded from empty to {SCHEMA_REVISION}" in result.output
    assert _host_revision(fresh_url) == HOST_FIRST


def test_wfengine_makes_no_alembic_version_table(fresh_url: str) -> None:
    Engine(db_url=fresh_url).close()
    assert _rows(fresh_url, "alembic_version") is None
    assert _rows(fresh_url, migrate.VERSION_TABLE) == [SCHEMA_REVISION]


def test_an_earlier_wfengines_revision_is_read_where_it_is_until_db_upgrade_moves_it(
    fresh_url: str,
) -> None:
    with Engine(db_url=fresh_url) as engine:
        engine.deploy(_package().build())
        iid = engine.start_process("main")
    _as_an_earlier_wfengine_left_it(fresh_url)
    runner = CliRunner()
    current = runner.invoke(main, ["db", "current", "--db", fresh_url])
    assert f"revision {SCHEMA_REVISION}, needed {SCHEMA_REVISION} (up to date)" in current.output
    with Engine(db_url=fresh_url) as engine:
        assert engine.instance(iid).process_id == "main"
    # an engine open moves nothing (an earlier wfengine's workers still find the row)
    assert _rows(fresh_url, "alembic_version") == [SCHEMA_REVISION]
    assert _rows(fresh_url, migrate.VERSION_TABLE) is None
    upgraded = runner.invoke(main, ["db", "upgrade", "--db", fresh_url])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"schema already at revision {SCHEMA_REVISION}" in upgraded.output
    assert _rows(fresh_url, migrate.VERSION_TABLE) == [SCHEMA_REVISION]
    assert _rows(fresh_url, "alembic_version") is None  # it held wfengine's row only
    with Engine(db_url=fresh_url) as engine:
        assert engine.instance(iid).process_id == "main"


def test_a_hosts_row_beside_an_earlier_wfengines_stays(fresh_url: str) -> None:
    Engine(db_url=fresh_url).close()
    _as_an_earlier_wfengine_left_it(fresh_url, HOST_FIRST)
    Engine(db_url=fresh_url).close()
    assert _rows(fresh_url, "alembic_version") == sorted([SCHEMA_REVISION, HOST_FIRST])
    migrate.upgrade(fresh_url)
    assert _rows(fresh_url, migrate.VERSION_TABLE) == [SCHEMA_REVISION]
    assert _rows(fresh_url, "alembic_version") == [HOST_FIRST]


def test_an_earlier_wfengines_older_schema_is_upgraded_and_moved(fresh_url: str) -> None:
    previous = "0020"
    migrate.upgrade(fresh_url, previous)
    _as_an_earlier_wfengine_left_it(fresh_url)
    with pytest.raises(SchemaOutdatedError, match=rf"revision {previous}, older than"):
        Engine(db_url=fresh_url)
    assert _rows(fresh_url, "alembic_version") == [previous]  # an engine migrates nothing
    runner = CliRunner()
    current = runner.invoke(main, ["db", "current", "--db", fresh_url])
    assert f"revision {previous}, needed {SCHEMA_REVISION}" in current.output
    upgraded = runner.invoke(main, ["db", "upgrade", "--db", fresh_url])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"upgraded from {previous} to {SCHEMA_REVISION}" in upgraded.output
    assert _rows(fresh_url, migrate.VERSION_TABLE) == [SCHEMA_REVISION]
    assert _rows(fresh_url, "alembic_version") is None
    Engine(db_url=fresh_url).close()


def test_engines_opening_an_earlier_wfengines_database_at_once_leave_it_as_it_is(
    fresh_url: str,
) -> None:
    Engine(db_url=fresh_url).close()
    _as_an_earlier_wfengine_left_it(fresh_url, HOST_FIRST)
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def open_one() -> None:
        start.wait()
        try:
            Engine(db_url=fresh_url).close()
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert _rows(fresh_url, migrate.VERSION_TABLE) is None
    assert _rows(fresh_url, "alembic_version") == sorted([SCHEMA_REVISION, HOST_FIRST])


def test_a_read_only_earlier_wfengines_database_is_read_where_it_is(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url) as engine:
        engine.deploy(_package().build())
        iid = engine.start_process("main")
    _as_an_earlier_wfengine_left_it(url)
    read_only = f"sqlite:///file:{tmp_path / 'wf.db'}?mode=ro&uri=true"
    with Engine(db_url=read_only) as engine:
        assert engine.instance(iid).process_id == "main"
    assert _rows(url, "alembic_version") == [SCHEMA_REVISION]  # no open moves it
    assert _rows(url, migrate.VERSION_TABLE) is None


def test_an_unknown_revision_in_wfengines_own_table_is_a_newer_wfengines(
    fresh_url: str,
) -> None:
    Engine(db_url=fresh_url).close()
    engine = create_engine(fresh_url)
    with begin(engine) as conn:
        conn.exec_driver_sql("UPDATE wfengine_alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(SchemaOutdatedError, match=r"'9999'.* written by a newer wfengine"):
        Engine(db_url=fresh_url)


def _upgrade_moves_it_during_the_first_read(
    monkeypatch: pytest.MonkeyPatch, url: str, *, then_select: bool
) -> None:
    """A ``db upgrade`` in another process moving the revision out of ``alembic_version``
    between an opening engine's first statements (after it found no wfengine_alembic_version):
    the table is then gone (``then_select``: the engine's next SELECT from it fails)."""
    original = migrate._shared_revision
    calls: list[int] = []

    def racing(conn: sa.Connection) -> str | None:
        calls.append(1)
        if len(calls) == 1:
            migrate.upgrade(url)  # its own connection and transaction, committed
            if then_select:
                conn.execute(sa.text("SELECT version_num FROM alembic_version"))
        return original(conn)

    monkeypatch.setattr(migrate, "_shared_revision", racing)


@pytest.mark.parametrize("then_select", [False, True], ids=["no-revision", "table-gone"])
def test_an_engine_opening_while_db_upgrade_moves_the_revision_reads_it_again(
    fresh_url: str, monkeypatch: pytest.MonkeyPatch, then_select: bool
) -> None:
    with Engine(db_url=fresh_url) as engine:
        engine.deploy(_package().build())
        iid = engine.start_process("main")
    _as_an_earlier_wfengine_left_it(fresh_url)
    _upgrade_moves_it_during_the_first_read(monkeypatch, fresh_url, then_select=then_select)
    # was: "has tables named as wfengine's ... restore this one from a backup", or a raw
    # UndefinedTable "alembic_version does not exist"
    with Engine(db_url=fresh_url) as engine:
        assert engine.instance(iid).process_id == "main"
    assert _rows(fresh_url, migrate.VERSION_TABLE) == [SCHEMA_REVISION]
    assert _rows(fresh_url, "alembic_version") is None


def test_tables_without_a_revision_are_still_refused_after_the_second_read(
    fresh_url: str,
) -> None:
    Engine(db_url=fresh_url).close()
    engine = create_engine(fresh_url)
    with begin(engine) as conn:
        conn.exec_driver_sql("DROP TABLE wfengine_alembic_version")
    engine.dispose()
    with pytest.raises(SchemaOutdatedError, match=r"no wfengine schema revision.*backup"):
        Engine(db_url=fresh_url)
