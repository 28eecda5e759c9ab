"""The text of ``status``, ``instance show`` and ``run`` prints DATETIME, DATE, TIME and
duration data as ISO 8601, as ``--json`` and the audit trail write the same value, not as
Python's repr (``datetime.datetime(2027, 3, 28, 9, 0, tzinfo=datetime.timezone(...))``); other
values keep their repr, text quoted."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.cli.databases import cli, sqlite_url, write
from wfengine.definition.builder import PackageBuilder
from wfengine.json_text import value_text
from wfengine.runtime.engine import Engine


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("d1", "DATETIME").data_field("day", "DATE").data_field("note", "STRING")
    p.start("s").activity("work", performer="clerk").end("e")
    p.sequence("s", "work", "e")
    return pb


_SET = ["--set", "d1=2027-03-28T09:00:00+01:00", "--set", "day=2027-03-28", "--set", "note=7"]
_SHOWN = ["d1 = 2027-03-28T09:00:00+01:00", "day = 2027-03-28", "note = '7'"]


@pytest.fixture
def started(tmp_path: Path) -> tuple[str, str, str]:
    url, xpdl = sqlite_url(tmp_path), write(tmp_path, _package())
    result = cli("instance", "start", xpdl, "--db", url, *_SET)
    assert result.exit_code == 0, result.output
    return url, xpdl, result.stdout.strip()


def test_status_prints_dates_as_iso(started: tuple[str, str, str]) -> None:
    url, _, iid = started
    result = cli("status", iid, "--db", url)
    assert result.exit_code == 0, result.output
    for line in _SHOWN:
        assert f"  data {line}" in result.stdout.splitlines()
    assert "datetime." not in result.stdout


def test_instance_show_prints_dates_as_iso(started: tuple[str, str, str]) -> None:
    url, _, iid = started
    result = cli("instance", "show", iid, "--db", url)
    assert result.exit_code == 0, result.output
    for line in _SHOWN:
        assert f"  {line}" in result.stdout.splitlines()
    assert "datetime." not in result.stdout


def test_run_prints_dates_as_iso(started: tuple[str, str, str]) -> None:
    _, xpdl, _ = started
    result = cli("run", xpdl, *_SET)
    for line in _SHOWN:
        assert f"  {line}" in result.stdout.splitlines(), result.output
    assert "datetime." not in result.stdout


def test_a_value_in_a_named_zone_prints_its_offset(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    with Engine(db_url=url) as engine:
        engine.deploy(_package().build())
        iid = engine.start_process(
            "main", {"d1": datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=ZoneInfo("Europe/Berlin"))}
        )
    result = cli("status", iid, "--db", url)
    assert "  data d1 = 2027-10-31T02:30:00+01:00" in result.stdout.splitlines(), result.output
    assert value_text(timedelta(hours=1, minutes=30)) == "PT1H30M"
    assert value_text(None) == "None"


def test_dates_inside_a_list_or_record_print_as_iso_too() -> None:
    at = datetime(2027, 3, 28, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert value_text([at, timedelta(hours=1)]) == "[2027-03-28T09:00:00+02:00, PT1H]"
    assert value_text({"due": at, "n": "7"}) == "{'due': 2027-03-28T09:00:00+02:00, 'n': '7'}"
    assert value_text(("x",)) == "('x',)" and value_text([]) == "[]"
