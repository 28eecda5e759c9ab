"""A PostgreSQL password given in the URL's query is never shown.

libpq (so psycopg) reads a password from the query too (``?password=...``, ``sslpassword=``
for a client key), and ``render_as_string(hide_password=True)`` hides only the one before the
``@``: the password was printed in clear in each retry the worker logged and in every error
naming the database. Now its value is shown as ``***``, in any case of its name. Needs no
server: port 1 refuses at once.
"""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner

from wfengine.cli.db_cmd import db
from wfengine.errors import StoreUnavailableError
from wfengine.runtime.sql.connect import shown
from wfengine.runtime.sql.retry import RetryPolicy
from wfengine.runtime.sql.store import SqlStore

SECRET = "s3cretpw"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            f"postgresql+psycopg://wf@h/db?password={SECRET}",
            "postgresql+psycopg://wf@h/db?password=***",
        ),
        (
            f"postgresql:///db?host=h&user=wf&password={SECRET}",
            "postgresql+psycopg:///db?host=h&user=wf&password=***",
        ),
        (
            f"postgresql://wf@h/db?sslmode=require&SSLPassword={SECRET}",
            "postgresql+psycopg://wf@h/db?sslmode=require&SSLPassword=***",
        ),
        (
            f"postgresql://wf:{SECRET}@h/db?Password={SECRET}",
            "postgresql+psycopg://wf:***@h/db?Password=***",
        ),
    ],
)
def test_a_password_in_the_query_is_shown_as_stars(url: str, expected: str) -> None:
    assert shown(url) == expected


def test_the_store_logs_and_raises_no_password_from_the_query(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"postgresql+psycopg://wf@127.0.0.1:1/wf?password={SECRET}"
    waits: list[float] = []
    with caplog.at_level(logging.WARNING), pytest.raises(StoreUnavailableError) as raised:
        SqlStore(url, retry=RetryPolicy(attempts=2, sleep=waits.append))
    assert waits  # it was retried, and the retry logged
    assert "127.0.0.1:1/wf?password=***" in str(raised.value)
    assert SECRET not in str(raised.value) and SECRET not in caplog.text
    assert "password=***" in caplog.text


def test_a_command_on_an_unreachable_database_prints_no_password() -> None:
    url = f"postgresql://wf@127.0.0.1:1/wf?password={SECRET}&sslpassword={SECRET}"
    result = CliRunner().invoke(db, ["upgrade", "--db", url])
    assert result.exit_code == 2
    assert "127.0.0.1:1/wf?password=***&sslpassword=***" in result.output
    assert SECRET not in result.output
