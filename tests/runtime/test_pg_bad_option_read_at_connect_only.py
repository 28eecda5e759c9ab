"""A psycopg error is read as a connection option of the URL it cannot use only when it was
raised connecting, outside any statement (503f61f's reading was consulted for every error
without a SQLSTATE in every transaction). A statement's error whose text happens to say
"bad value for ..." (psycopg reading a numeric it cannot) was raised as
:class:`StoreUnavailableError` telling the operator to check the URL's options; it is now
raised as it is, as any other failure of the work. Needs no server."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa

from wfengine.runtime.sql.retry import RetryPolicy, condition, is_transient, run_with_retries

SAID = "bad value for numeric sign: 0x1234"


def test_a_statements_error_is_not_read_as_the_urls_options() -> None:
    error = sa.exc.DataError("SELECT amount FROM t", {}, psycopg.DataError(SAID))
    assert condition(error) is None and not is_transient(error)

    def attempt() -> None:
        raise error

    waits: list[float] = []
    with pytest.raises(sa.exc.DataError):  # (the error itself, not "check the URL's options")
        run_with_retries(attempt, what="db", policy=RetryPolicy(attempts=3, sleep=waits.append))
    assert waits == []


def test_the_same_text_raised_connecting_is_still_the_urls_options() -> None:
    error = sa.exc.ProgrammingError(None, None, psycopg.ProgrammingError(SAID))
    assert "check the connection options of the URL" in (condition(error) or "")
