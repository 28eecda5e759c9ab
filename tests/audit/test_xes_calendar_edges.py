"""A stored DATETIME that UTC cannot hold (an offset moves a time near year 1 or 9999 past the
calendar's edge; every store keeps it) is written to XES as a string, its ISO text with its own
offset: it was an ``OverflowError`` that lost the whole log (``wfengine audit --format xes``
exited 1 with a traceback)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from tests.cli.databases import cli, sqlite_url
from wfengine import Engine, PackageBuilder, write_xes

LATE = datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))
EARLY = datetime(1, 1, 1, 1, tzinfo=timezone(timedelta(hours=5)))
NORMAL = datetime(2024, 1, 1, 12, tzinfo=timezone(timedelta(hours=2)))


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("due", "DATETIME", extended={"wfengine:export": "true"})
    p.activity("a", performer="clerk")
    return pb


def _due(log: bytes) -> list[tuple[str, str | None]]:
    """(tag, value) of each trace's ``due``."""
    return [
        (a.tag, a.get("value"))
        for trace in etree.fromstring(log).iter("trace")
        for a in trace
        if a.get("key") == "due"
    ]


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_datetime_utc_cannot_hold_is_its_iso_text(store: str, tmp_path: Path) -> None:
    url = None if store == "memory" else sqlite_url(tmp_path)
    with Engine(db_url=url) as e:
        e.deploy(_package().build())
        for value in (NORMAL, LATE, EARLY):
            e.start_process("p", {"due": value})
        out = io.BytesIO()
        assert write_xes(e, out) == 3
    assert _due(out.getvalue()) == [
        ("date", "2024-01-01T10:00:00.000000+00:00"),  # as before: UTC
        ("string", "9999-12-31T23:00:00-05:00"),
        ("string", "0001-01-01T01:00:00+05:00"),
    ]
    assert datetime.fromisoformat(str(_due(out.getvalue())[1][1])) == LATE


def test_the_command_writes_the_log(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    with Engine(db_url=url) as e:
        e.deploy(_package().build())
        e.start_process("p", {"due": LATE})
    log = cli("audit", "--db", url, "--format", "xes")
    assert log.exit_code == 0, log.output
    assert _due(log.stdout_bytes) == [("string", "9999-12-31T23:00:00-05:00")]
