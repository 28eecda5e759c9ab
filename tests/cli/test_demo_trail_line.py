"""``wfengine demo crm --db URL`` ends naming the day's trail and a command to read it: the
URL without its password, as every other message shows it, and quoted for the shell. Before,
the last line printed the URL as given, password and all, unquoted (a PostgreSQL URL's ``&``
ended the suggested command)."""

from __future__ import annotations

import shlex
from pathlib import Path

import sqlalchemy as sa

from tests.cli.databases import cli


def _drop_the_examples_tables(url: str) -> None:
    """The CRM's and the web centre's tables the day made (the fixture empties wfengine's)."""
    db = sa.create_engine(url)
    try:
        meta = sa.MetaData()
        meta.reflect(db, only=lambda name, _: name.startswith(("crm_", "web_")))
        meta.drop_all(db)
    finally:
        db.dispose()


def test_the_trail_line_hides_the_password(pg_url: str) -> None:
    url = sa.make_url(pg_url).set(password="s3cret-pw").render_as_string(hide_password=False)
    _drop_the_examples_tables(pg_url)
    try:
        result = cli("demo", "crm", "--complaints", "2", "--db", url)
    finally:
        _drop_the_examples_tables(pg_url)
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("The day's trail: ") and ":***@" in last
    assert "s3cret-pw" not in result.output
    assert "with the password in place of ***" in last


def test_the_suggested_command_is_quoted_for_the_shell(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a day & more.db'}"
    result = cli("demo", "crm", "--complaints", "2", "--db", url)
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()[-1]
    assert last == f"The day's trail: {url} (try: wfengine stats --db {shlex.quote(url)})"
    assert shlex.split(last.split("try: ")[1].rstrip(")"))[-1] == url
