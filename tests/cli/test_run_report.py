"""``wfengine run``: stubbed applications, the report keys scripts rely on (incidents, waiting,
stubbed, stopped) and the manual loop the runner can never leave (issue 9, item 6)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.cli.databases import cli, write
from tests.conftest import conformance_root
from wfengine.cli import runner
from wfengine.definition.builder import PackageBuilder, multi_instance, standard_loop

KEYS = ["instance_id", "process_id", "state", "trace", "data"]
KEYS += ["incidents", "waiting", "stubbed", "stopped", "decided"]
INCIDENT_KEYS = ["id", "instance_id", "activity_id", "application_id", "error", "attempts"]
WAITING_KEYS = ["kind", "id", "instance_id", "activity_id", "due"]


def _json(result: Result) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(result.stdout)
    assert list(out) == KEYS
    return out


def _calls(tmp_path: Path, *, agent: str | None = None) -> str:
    """``lookup`` (IN id, OUT name) then ``notify`` (IN name), both automatic."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("customer", "INTEGER", initial="7").data_field("name", "STRING", initial="'-'")
    extended = [("wfengine:agent", agent)] if agent else None
    p.application(
        "lookup", params=[("id", "IN", "INTEGER"), ("name", "OUT", "STRING")], extended=extended
    )
    p.application("notify", params=[("who", "IN", "STRING")])
    p.activity("find", tool="lookup", args=["customer", "name"])
    p.activity("tell", tool="notify", args=["name"])
    p.transition("find", "tell")
    return write(tmp_path, pb)


def test_unbound_applications_are_stubbed_and_named(tmp_path: Path) -> None:
    result = cli("run", _calls(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    out = _json(result)
    assert out["state"] == "closed.completed" and out["trace"] == ["find", "tell"]
    assert out["stubbed"] == [
        {"application_id": "lookup", "calls": [{"id": 7}]},
        {"application_id": "notify", "calls": [{"who": "-"}]},
    ]
    assert out["data"]["name"] == "-"  # a stub answers nothing: the field keeps its value
    for app_id in ("lookup", "notify"):
        notice = (
            f"application {app_id} is not bound; the run stubbed its 1 call(s): "
            "bind it with --apps MODULE"
        )
        assert notice in result.stderr


def test_sensitive_inputs_of_a_stub_are_redacted(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("user", "STRING", initial="'ada'").data_field("pw", "STRING", initial="'s3cret'")
    p.application(
        "login",
        params=[("user", "IN", "STRING"), ("password", "IN", "STRING")],
        extended=[("wfengine:sensitive", "password")],
    )
    p.activity("sign_in", tool="login", args=["user", "pw"])
    result = cli("run", write(tmp_path, pb), "--json")
    assert _json(result)["stubbed"] == [
        {"application_id": "login", "calls": [{"user": "ada", "password": "***"}]}
    ]


@pytest.fixture
def notify_module(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "wf_notify_apps.py").write_text(
        "def register(registry):\n    registry.register('notify', lambda who: None)\n"
    )
    sys.path.insert(0, str(tmp_path))
    yield "wf_notify_apps"
    sys.path.remove(str(tmp_path))
    sys.modules.pop("wf_notify_apps", None)


def test_only_what_apps_leaves_unbound_is_stubbed(tmp_path: Path, notify_module: str) -> None:
    out = _json(cli("run", _calls(tmp_path), "--apps", notify_module, "--json"))
    assert [s["application_id"] for s in out["stubbed"]] == ["lookup"]


def test_an_agent_the_host_has_not_enabled_is_stubbed_too(tmp_path: Path) -> None:
    out = _json(cli("run", _calls(tmp_path, agent="http"), "--json"))
    assert out["state"] == "closed.completed"
    assert [s["application_id"] for s in out["stubbed"]] == ["lookup", "notify"]


def test_unbound_incident_reports_the_incident_like_wfengine_incidents(tmp_path: Path) -> None:
    result = cli("run", _calls(tmp_path), "--unbound", "incident", "--json")
    assert result.exit_code == 3
    out = _json(result)
    [incident] = out["incidents"]
    assert list(incident) == INCIDENT_KEYS
    assert incident["activity_id"] == "find" and incident["application_id"] == "lookup"
    assert "not bound" in incident["error"]
    assert out["stubbed"] == [] and out["waiting"] == [] and out["stopped"] is None
    assert "stubbed" not in result.stderr


def _manual_loop(tmp_path: Path, *, deadline: bool = False) -> str:
    """``write`` and ``check`` by a clerk until ``done``: nothing but an answer ends it."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("done", "BOOLEAN", initial="false")
    late = [("PT1H", "Late", "ASYNCHR")] if deadline else []
    p.activity("write", performer="clerk", deadlines=late)
    p.activity("check", performer="clerk")
    p.route("decide", gateway="Exclusive")
    p.start("begin").activity("end")
    p.sequence("begin", "write", "check", "decide")
    p.transition("decide", "end", condition="done")
    p.transition("decide", "write", otherwise=True)
    if deadline:
        p.activity("remind").transition("write", "remind", exception="Late")
    return write(tmp_path, pb)


def test_a_manual_loop_the_runner_cannot_leave_stops_it(tmp_path: Path) -> None:
    result = cli("run", _manual_loop(tmp_path), "--json")
    assert result.exit_code == 3
    out = _json(result)
    assert out["state"] == "open.running"
    assert out["trace"] == ["begin", "write", "check", "decide"]  # one round, not 100,000
    assert out["stopped"].startswith("manual loop: write -> check would repeat forever")
    assert out["waiting"] == [
        {
            "kind": "work_item",
            "id": out["waiting"][0]["id"],
            "instance_id": out["instance_id"],
            "activity_id": "write",
            "due": None,
        }
    ]
    assert "wfengine run: stopped: manual loop: write -> check" in result.stderr


def test_answers_left_for_the_loop_keep_it_going(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"check": [{}, {}, {"done": True}]}))
    result = cli("run", _manual_loop(tmp_path), "--answers", str(answers), "--json")
    assert result.exit_code == 0, result.output
    out = _json(result)
    assert out["trace"].count("check") == 3 and out["stopped"] is None


def test_waiting_lists_timers_with_their_activity(tmp_path: Path) -> None:
    result = cli("run", _manual_loop(tmp_path, deadline=True), "--json")
    out = _json(result)
    kinds = {row["kind"]: row for row in out["waiting"]}
    assert set(kinds) == {"work_item", "timer"}
    assert all(list(row) == WAITING_KEYS for row in out["waiting"])
    assert kinds["timer"]["activity_id"] == "write" and kinds["timer"]["due"].startswith("20")
    text = cli("run", _manual_loop(tmp_path, deadline=True))
    assert "waiting: work_item" in text.stdout and "activity write" in text.stdout


def test_a_standard_loop_with_a_maximum_is_not_a_repeat(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("again", performer="clerk", loop=standard_loop("true", maximum=4))
    p.activity("fan", performer="clerk", loop=multi_instance("3"))
    p.transition("again", "fan")
    result = cli("run", write(tmp_path, pb), "--json")
    assert result.exit_code == 0, result.output
    out = _json(result)
    assert out["stopped"] is None and out["state"] == "closed.completed"


def test_the_completion_limit_is_the_last_guard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "MAX_COMPLETIONS", 5)
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="0")
    # its counter changes the data each round, so no state repeats: only the limit stops it
    p.activity("forever", performer="clerk", loop=standard_loop("true", counter="n"))
    result = cli("run", write(tmp_path, pb), "--json")
    assert result.exit_code == 3
    assert _json(result)["stopped"].startswith("the runner completed 5 work items")


@pytest.mark.skipif(conformance_root() is None, reason="conformance corpus not found")
def test_jawe_document_approval_stops_at_its_first_repeat() -> None:
    root = conformance_root()
    assert root is not None
    path = root / "xpdl" / "jawe" / "xpdl2.1" / "RealLife_document_approval.xpdl"
    result = cli("run", str(path), "--json")
    assert result.exit_code == 3
    out = _json(result)
    assert len(out["trace"]) < 10
    assert out["stopped"].startswith(
        "manual loop: submit_document -> review_document -> update_document"
    )


def test_a_label_decision_is_answered_with_its_first_way(tmp_path: Path) -> None:
    pb = PackageBuilder("claims")
    p = pb.process("main")
    p.start("s").route("decide", gateway="Exclusive").end("paid").end("rejected")
    p.transition("s", "decide")
    p.transition("decide", "paid", condition="Claim accepted", id="accept")
    p.transition("decide", "rejected", condition="Claim rejected", id="reject")
    xpdl = write(tmp_path, pb)
    result = cli("run", xpdl, "--json")
    assert result.exit_code == 0, result.output
    out = _json(result)
    assert out["trace"] == ["s", "decide", "paid"]
    assert out["decided"] == [
        {
            "instance_id": out["instance_id"],
            "activity_id": "decide",
            "take": "accept",
            "ways": ["accept", "reject"],
        }
    ]
    assert "decision decide is left to people (a label or an empty condition)" in result.stderr
    left_open = cli("run", xpdl, "--json", "--decisions", "incident")
    assert left_open.exit_code == 3
    [incident] = _json(left_open)["incidents"]
    assert "is a label for people" in incident["error"]


def test_a_loop_through_a_label_decision_stops_the_run(tmp_path: Path) -> None:
    pb = PackageBuilder("loop")
    p = pb.process("main")
    p.start("s").route("again", gateway="Exclusive").end("e")
    p.transition("s", "again")
    p.transition("again", "again", condition="Do it again", id="loop")
    p.transition("again", "e", condition="Done", id="done")
    result = cli("run", write(tmp_path, pb), "--json")
    assert result.exit_code == 3
    assert "manual loop: again" in _json(result)["stopped"]


def test_waiting_lists_a_catch_inside_a_subflow(tmp_path: Path) -> None:
    """A subflow that only waits (no work item, no job) is part of the instance tree."""
    pb = PackageBuilder("sm")
    m = pb.process("main")
    m.start("s").subflow("call", process="child").end("e").sequence("s", "call", "e")
    c = pb.process("child")
    c.start("cs").intermediate("w", message="ping").end("ce").sequence("cs", "w", "ce")
    result = cli("run", write(tmp_path, pb), "--json")
    assert result.exit_code == 3
    out = _json(result)
    [row] = out["waiting"]
    assert (row["kind"], row["activity_id"], row["due"]) == ("message", "w", None)
    assert row["instance_id"] != out["instance_id"]  # the subflow's instance


def test_waiting_lists_a_conditional_catch(tmp_path: Path) -> None:
    pb = PackageBuilder("cd")
    p = pb.process("p")
    p.data_field("n", "INTEGER", initial="1")
    p.start("s").intermediate("until_big", condition="n > 5").end("e")
    p.sequence("s", "until_big", "e")
    result = cli("run", write(tmp_path, pb), "--json")
    assert result.exit_code == 3
    [row] = _json(result)["waiting"]
    assert (row["kind"], row["activity_id"]) == ("condition", "until_big")
