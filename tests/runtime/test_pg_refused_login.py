"""A PostgreSQL server that refuses the login (a wrong password, a role or a database that does
not exist) is a :class:`~wfengine.errors.StoreUnavailableError` at the first attempt, saying what
to check. psycopg 3 raises such a failed connection with no SQLSTATE, so it was retried six
times (seconds of waits) as a lost connection and then blamed on the server being down; a
server that is down is still retried."""

from __future__ import annotations

import re

import psycopg
import pytest
import sqlalchemy as sa

from wfengine.errors import StoreUnavailableError
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql.retry import RetryPolicy, condition, is_transient
from wfengine.runtime.sql.store import SqlStore

#: what the store says to check, by what the server refused
USER = "check the user name and password"
DATABASE = "check the database name (create it first)"


def _refused(url: str) -> tuple[StoreUnavailableError, list[float]]:
    """What opening a store on ``url`` raises, and the waits between attempts it made."""
    waits: list[float] = []
    with pytest.raises(StoreUnavailableError) as raised:
        SqlStore(url, retry=RetryPolicy(sleep=waits.append))
    return raised.value, waits


@pytest.mark.parametrize(
    ("change", "said", "check"),
    [
        ({"database": "no_such_database"}, 'database "no_such_database" does not exist', DATABASE),
        ({"username": "no_such_role"}, 'role "no_such_role" does not exist', USER),
    ],
)
def test_a_refused_login_fails_at_the_first_attempt_saying_what_to_check(
    pg_url: str, change: dict[str, str], said: str, check: str
) -> None:
    url = sa.make_url(pg_url).set(**change).render_as_string(hide_password=False)
    error, waits = _refused(url)
    assert waits == []  # one attempt: no wait for another
    message = str(error)
    assert said in message and check in message and "nothing was changed" in message
    assert "is up" not in message
    with pytest.raises(StoreUnavailableError, match=re.escape(check)):
        Engine(db_url=url)


def _connect_error(text: str) -> sa.exc.OperationalError:
    """What SQLAlchemy raises for a psycopg connection attempt that failed saying ``text``."""
    return sa.exc.OperationalError(None, None, psycopg.OperationalError(text))


@pytest.mark.parametrize(
    "server_said",
    [
        'FATAL:  password authentication failed for user "ada"',
        "fe_sendauth: no password supplied",
        'FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "ada", database "wf"',
        'FATAL:  role "ada" is not permitted to log in',
    ],
)
def test_a_refused_password_or_rule_is_not_retried(server_said: str) -> None:
    error = _connect_error(
        f'connection failed: connection to server at "db", port 5432 failed: {server_said}'
    )
    assert not is_transient(error)
    assert condition(error) == "check the user name and password (or the server's pg_hba.conf)"


def test_a_server_that_is_down_is_still_retried() -> None:
    error = _connect_error(
        'connection failed: connection to server at "127.0.0.1", port 1 failed: Connection '
        "refused\n\tIs the server running on that host and accepting TCP/IP connections?"
    )
    assert is_transient(error) and condition(error) is None
