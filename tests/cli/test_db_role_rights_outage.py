"""PostgreSQL refusing wfengine's schema to a role without CREATE on it, and a server that is
down, as operators meet them.

A login role of its own has no CREATE on schema ``public`` (PostgreSQL 15): ``Engine()`` raised
SQLAlchemy's raw ProgrammingError, and ``instance start``/``worker`` printed its multi-line text
(the CREATE TABLE statement, a sqlalche.me link); ``db upgrade`` said "nothing was changed, then
run it again" with no advice. With the server down, ``db current``/``db upgrade`` said "the
database refused it" at the first failure. Now the first line of the driver's error with the
grant (or schema) the role needs, and a server down is tried again and then said to be down.

Tables another role made: ``Engine()`` by a role with no grants on them raised the raw
ProgrammingError too (the second read of the revision), now the grants in one line; ``db
upgrade`` by a role with the grants, where a migration alters a table, advised those very grants
(ALTER TABLE needs the owner), now to run it as the tables' owner or make the role their owner.
"""

from __future__ import annotations

import gc
import os
import socket
import warnings
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tests.cli.databases import cli
from wfengine.errors import StoreUnavailableError
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql.migrate import current_revision, upgrade

#: the login role without CREATE (named per process: roles are the server's, not a database's)
ROLE = f"wf_clerk_{os.getpid()}"


@pytest.fixture
def no_create_url(pg_server_url: str) -> Iterator[str]:
    """An empty database beside the session's, and a login role without CREATE on its
    schema ``public`` (what PostgreSQL 15 gives a role that does not own the database)."""
    name = f"wf_no_create_{os.getpid()}"  # (xdist processes may share a server)
    admin = sa.create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {ROLE}")
            conn.exec_driver_sql(f"CREATE ROLE {ROLE} LOGIN")
        there = sa.make_url(pg_server_url).set(database=name)
        owner = sa.create_engine(there, isolation_level="AUTOCOMMIT")
        with owner.connect() as conn:
            conn.exec_driver_sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        owner.dispose()
        yield there.set(username=ROLE).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {ROLE}")
        admin.dispose()


_ADVICE = f"grant it CREATE on the schema (GRANT CREATE ON SCHEMA public TO {ROLE})"


def test_an_engine_on_a_schema_the_role_may_not_create_in_says_what_to_grant(
    no_create_url: str,
) -> None:
    with pytest.raises(StoreUnavailableError) as raised:
        Engine(db_url=no_create_url)
    said = str(raised.value)
    assert "refused to create wfengine's schema" in said
    assert "(InsufficientPrivilege: permission denied for schema public)" in said
    assert _ADVICE in said and "options=-csearch_path=" in said
    assert "[SQL:" not in said and "sqlalche.me" not in said and "\n" not in said


@pytest.mark.parametrize("command", [("db", "upgrade"), ("worker", "--until-idle")])
def test_commands_say_what_to_grant_in_one_line(
    no_create_url: str, command: tuple[str, ...]
) -> None:
    result = cli(*command, "--db", no_create_url)
    assert result.exit_code == 2, result.output
    assert "permission denied for schema public" in result.stderr
    assert _ADVICE in result.stderr
    assert "[SQL:" not in result.stderr and "sqlalche.me" not in result.stderr


def test_tables_another_role_made_are_said_to_need_their_grants(no_create_url: str) -> None:
    owner = sa.make_url(no_create_url).set(username="postgres")
    Engine(db_url=owner.render_as_string(hide_password=False)).close()  # the owner's schema
    for command in (("instances",), ("db", "current")):
        result = cli(*command, "--db", no_create_url)
        assert result.exit_code == 2, result.output
        assert "(InsufficientPrivilege: permission denied for table" in result.stderr
        assert f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {ROLE}" in result.stderr
        assert "[SQL:" not in result.stderr and "sqlalche.me" not in result.stderr


def test_an_engine_on_tables_another_role_made_says_what_to_grant_in_one_line(
    no_create_url: str,
) -> None:
    owner = sa.make_url(no_create_url).set(username="postgres")
    Engine(db_url=owner.render_as_string(hide_password=False)).close()  # the owner's schema
    with pytest.raises(StoreUnavailableError) as raised:
        Engine(db_url=no_create_url)
    said = str(raised.value)
    assert "refused to read wfengine's schema" in said
    assert "(InsufficientPrivilege: permission denied for table wfengine_alembic_version)" in said
    assert f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {ROLE}" in said
    assert "[SQL:" not in said and "sqlalche.me" not in said and "\n" not in said


def test_upgrading_tables_a_role_may_use_but_not_alter_says_to_run_it_as_their_owner(
    no_create_url: str,
) -> None:
    """0026 adds a column (ALTER TABLE), which no grant allows: only the tables' owner."""
    owner = sa.make_url(no_create_url).set(username="postgres")
    upgrade(owner, "0025")
    admin = sa.create_engine(owner, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {ROLE}"
            )
            conn.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {ROLE}")
        result = cli("db", "upgrade", "--db", no_create_url)
        assert result.exit_code == 2, result.output
        assert "(InsufficientPrivilege: must be owner of table" in result.stderr
        assert "run `wfengine db upgrade` as the role that owns them" in result.stderr
        assert f"OWNER TO {ROLE}" in result.stderr
        assert "GRANT" not in result.stderr  # (it has the grants: they are not what it lacks)
        with admin.connect() as conn:
            assert current_revision(conn) == "0025"  # nothing was changed
    finally:
        admin.dispose()


@pytest.fixture
def server_down_url() -> str:
    """A PostgreSQL URL whose port nothing listens on (a server down)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"postgresql+psycopg://wf@127.0.0.1:{port}/wf"


@pytest.mark.parametrize("command", ["current", "upgrade"])
def test_db_commands_on_a_server_that_is_down_say_so(server_down_url: str, command: str) -> None:
    result = cli("db", command, "--db", server_down_url)
    assert result.exit_code == 2, result.output
    assert "failed 6 times in a row" in result.stderr  # tried again, as the store does
    assert "check that the database is up, then retry" in result.stderr
    assert "refused it" not in result.stderr and "then run it again" not in result.stderr


def test_an_engine_the_schema_refused_leaves_no_connection_open(no_create_url: str) -> None:
    """The refused store's connections were left to the garbage collector, which warned of
    them later, in whatever ran then (psycopg: "deleted while still open")."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        with pytest.raises(StoreUnavailableError):
            Engine(db_url=no_create_url)
        gc.collect()
    assert [str(w.message) for w in seen if "still open" in str(w.message)] == []
