"""``wfengine show``: the package summary, in text and JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli.documents import LEAVE_REQUEST, MALFORMED, ORDER_FULFILMENT, write
from tests.conftest import conformance_root
from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.io import dump_xpdl


def test_text_lists_activities_with_their_kind_and_the_context() -> None:
    result = CliRunner().invoke(main, ["show", str(ORDER_FULFILMENT)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Process fulfil_order (Fulfil an order)" in out
    assert "fork (Prepare and invoice)  [route: Parallel]" in out
    assert "check_stock (Check stock)  [tool: check_stock]  by erp" in out
    assert "pick_and_pack (Pick and pack the goods)  [manual]" in out
    assert "order_received (Order received)  [event: start]" in out
    assert "not_available: stock_decision -> backorder  [OTHERWISE]" in out
    assert "available: stock_decision -> fork  [in_stock]" in out
    for heading in ("Participants (4):", "Applications (3):", "Data fields (5):"):
        assert heading in out


def test_json_has_processes_activities_and_transitions() -> None:
    result = CliRunner().invoke(main, ["show", "--json", str(LEAVE_REQUEST)])
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert summary["id"] == "leave_request"
    [process] = summary["processes"]
    kinds = {a["id"]: a["kind"] for a in process["activities"]}
    assert kinds == {
        "start": "event",
        "submit": "user",
        "check_length": "route",
        "approve": "user",
        "check_decision": "route",
        "record": "tool",
        "notify": "tool",
        "end": "event",
    }
    short = next(t for t in process["transitions"] if t["id"] == "short_request")
    assert short["condition_type"] == "OTHERWISE"
    assert [p["id"] for p in summary["participants"]] == ["employee", "manager", "hr_system"]
    assert {f["id"] for f in process["data_fields"]} >= {"days", "approved"}


def test_unloadable_file_exits_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["show", str(write(tmp_path, "bad.xpdl", MALFORMED))])
    assert result.exit_code == 1
    assert "xml-malformed" in result.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["show", str(tmp_path / "none.xpdl")])
    assert result.exit_code == 2
    assert "none.xpdl" in result.stderr


def _corpus() -> list[Path]:
    root = conformance_root()
    return sorted((root / "xpdl").rglob("*.xpdl")) if root else []


@pytest.mark.skipif(not _corpus(), reason="conformance corpus not found at ../shared/conformance")
def test_show_never_prints_none() -> None:
    """XPDL spells "no trigger" None; the summary says nothing rather than "None" (issue 9)."""
    for path in [*_corpus(), LEAVE_REQUEST, ORDER_FULFILMENT]:
        for args in (["show", str(path)], ["show", "--json", str(path)]):
            result = CliRunner().invoke(main, args)
            assert result.exit_code == 0, (path, result.output)
            assert not re.search(r"\bNone\b", result.stdout), path


def test_events_with_a_trigger_show_it(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("begin", trigger="Message").end("done", terminate=True)
    p.transition("begin", "done")
    path = tmp_path / "p.xpdl"
    path.write_bytes(dump_xpdl(pb.build()))
    out = CliRunner().invoke(main, ["show", str(path)]).stdout
    assert "begin  [event: start Message]" in out and "done  [event: end Terminate]" in out
