"""A database URL whose port is not a number (``host:notaport``, an IPv6 address without its
``]``, a password written without its ``@host``) is a URL mistake like any other: a
:class:`~wfengine.errors.StoreError` from ``Engine(db_url=)``, exit status 2 with one
``Error:`` line from the command line. It was Python's bare ``ValueError`` from SQLAlchemy
(a traceback, exit 1), quoting the "port", which may be the password."""

from __future__ import annotations

import pytest

from tests.cli.databases import cli
from wfengine.errors import StoreError
from wfengine.runtime.engine import Engine

URLS = [
    "postgresql+psycopg://postgres@localhost:notaport/t1",
    "postgresql+psycopg://u@[::1/t1",  # the IPv6 address's "]" left out
    "postgresql://ada:secret/wf",  # "@host" left out: the password reads as the port
]


@pytest.mark.parametrize("url", URLS)
def test_engine_raises_a_store_error_naming_the_port(url: str) -> None:
    with pytest.raises(StoreError, match=r"URL cannot be read: its port .* is not a number"):
        Engine(db_url=url)
    with pytest.raises(StoreError) as raised:
        Engine.from_url(url)
    assert "secret" not in str(raised.value)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    "command", [["instances"], ["worklist", "--user", "ada"], ["worker", "--until-idle"]]
)
def test_a_command_says_so_on_one_line_with_exit_status_2(url: str, command: list[str]) -> None:
    result = cli(*command, "--db", url)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: the database URL cannot be read")
    assert "port" in lines[0] and "secret" not in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["db", "upgrade"], ["db", "current"]])
def test_the_db_commands_say_so_in_one_line(command: list[str]) -> None:
    from click.testing import CliRunner

    from wfengine.cli.main import main

    url = "postgresql+psycopg://ada:secret@localhost:notaport/wf"
    result = CliRunner().invoke(main, [*command, "--db", url])
    assert result.exit_code == 2, result.output
    assert "port" in result.stderr and "secret" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
