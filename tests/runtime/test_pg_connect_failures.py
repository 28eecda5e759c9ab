"""Opening a PostgreSQL store whose connection cannot be made is a WorkflowError, never a raw
SQLAlchemy one: a host name that does not resolve (a DNS hiccup, a database service not up
yet) escaped ``Engine()`` at once as ``sqlalchemy.exc.OperationalError`` ("failed to resolve
host", no SQLSTATE, no "connection" in its text), without the documented retries; now it is
retried like a refused connection, then :class:`StoreUnavailableError`. A connection option
of the URL that psycopg cannot use escaped the same way (or was retried as a lost
connection); now it is refused at once, saying to check the URL's options. Needs no server:
each fails before one is asked."""

from __future__ import annotations

import socket
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa

from wfengine.errors import StoreUnavailableError
from wfengine.runtime.sql.retry import RetryPolicy, condition, is_transient
from wfengine.runtime.sql.store import SqlStore

UNRESOLVED = "db.nosuchhost.invalid"


def _open(url: str, attempts: int = 3) -> tuple[StoreUnavailableError, list[float]]:
    """What opening a store on ``url`` raises, and the waits between its attempts."""
    waits: list[float] = []
    with pytest.raises(StoreUnavailableError) as raised:
        SqlStore(url, retry=RetryPolicy(attempts=attempts, sleep=waits.append))
    return raised.value, waits


def test_a_host_name_that_does_not_resolve_is_retried_then_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resolve = socket.getaddrinfo

    def no_such_name(host: Any, *args: Any, **kwargs: Any) -> Any:  # (no DNS server asked)
        if host == UNRESOLVED:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    error, waits = _open(f"postgresql+psycopg://app@{UNRESOLVED}/wf")
    assert len(waits) == 2  # three attempts in all
    message = str(error)
    assert f"failed to resolve host '{UNRESOLVED}'" in message
    assert "failed 3 times in a row" in message and "check that the database is up" in message


def _connect_error(text: str) -> sa.exc.OperationalError:
    return sa.exc.OperationalError(None, None, psycopg.OperationalError(text))


@pytest.mark.parametrize(
    "said",
    [
        "failed to resolve host 'db': [Errno -3] Temporary failure in name resolution",
        'could not translate host name "db" to address: Name or service not known',
    ],
)
def test_each_spelling_of_an_unresolved_host_is_transient(said: str) -> None:
    error = _connect_error(said)
    assert is_transient(error) and condition(error) is None


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("foo=bar", 'invalid connection option "foo"'),
        ("connect_timeout=abc", "bad value for connect_timeout"),
        ("sslmode=bogus", 'invalid sslmode value: "bogus"'),
    ],
)
def test_a_connection_option_the_driver_cannot_use_is_refused_at_once(
    query: str, said: str
) -> None:
    error, waits = _open(f"postgresql+psycopg://app@127.0.0.1:1/wf?{query}")
    assert waits == []  # the URL does not mend itself: one attempt
    message = str(error)
    assert said in message and "check the connection options of the URL" in message
