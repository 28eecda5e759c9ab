"""``wfengine run --script STEPS.json``: the steps contract (complete, advance, cancel,
terminate; the ones needing messages, signals or growing MI are refused, exit 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.cli.databases import write
from tests.conftest import conformance_root
from wfengine.cli.main import main
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Activity, Event, EventPosition, XmlNode

XPDL = "{http://www.wfmc.org/2008/XPDL2.1}"


def _run(tmp_path: Path, pb: PackageBuilder, steps: Any, *extra: str) -> Result:
    script = tmp_path / "steps.json"
    script.write_text(json.dumps(steps))
    args = ["run", write(tmp_path, pb), "--script", str(script), "--json", *extra]
    return CliRunner().invoke(main, args)


def _review() -> PackageBuilder:
    """Two people's steps, then a one-hour timer event, then an automatic end."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("note", "STRING")
    p.route("fork", gateway="Parallel")
    p.activity("check", performer="clerk", writes=["note"]).activity("extra", performer="clerk")
    timer = XmlNode(
        tag=XPDL + "TriggerTimer", children=(XmlNode(tag=XPDL + "TimeCycle", text="PT1H"),)
    )
    wait = Event(position=EventPosition.INTERMEDIATE, trigger="Timer", detail=(timer,))
    p.add_activity(Activity(id="wait", body=wait))
    p.activity("done")
    p.transition("fork", "check").transition("fork", "extra")
    p.transition("check", "wait").transition("wait", "done")
    return pb


def test_steps_complete_advance_and_the_run_goes_on(tmp_path: Path) -> None:
    steps = [{"complete": "check", "set": {"note": "ok"}}, {"advance": "PT1H"}]
    result = _run(tmp_path, _review(), steps)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    # check, the hour, done; then the runner completes "extra" as without --script
    assert out["trace"] == ["fork", "check", "wait", "done", "extra"]
    assert out["data"]["note"] == "ok"


def test_a_stored_run_with_steps_is_dated_from_now(tmp_path: Path) -> None:
    """With --db the steps' virtual clock starts at the current time: the stored records
    were dated in the year 2000, and a worker found the timer decades overdue."""
    from datetime import UTC, datetime, timedelta

    from wfengine import Engine

    url = f"sqlite:///{tmp_path / 'run.db'}"
    before = datetime.now(UTC)
    result = _run(tmp_path, _review(), [{"complete": "check"}], "--db", url)
    assert result.exit_code == 3, result.output  # waiting for the timer
    (timer,) = [w for w in json.loads(result.stdout)["waiting"] if w["kind"] == "timer"]
    assert datetime.fromisoformat(timer["due"]) >= before + timedelta(hours=1)
    with Engine(db_url=url) as e:
        (iid,) = [s.id for s in e.instance_summaries()]
        assert all(ev.at >= before for ev in e.audit(iid))


def test_without_the_advance_the_run_waits_for_the_timer(tmp_path: Path) -> None:
    result = _run(tmp_path, _review(), [{"complete": "check"}, {"advance": 1800}])
    assert result.exit_code == 3
    out = json.loads(result.stdout)
    assert [w["kind"] for w in out["waiting"]] == ["timer"]


def test_cancel_and_terminate(tmp_path: Path) -> None:
    cancelled = _run(tmp_path, _review(), [{"cancel": "check"}])
    out = json.loads(cancelled.stdout)
    assert cancelled.exit_code == 0 and "check" not in out["trace"]
    ended = _run(tmp_path, _review(), [{"terminate": True}])
    assert ended.exit_code == 1 and json.loads(ended.stdout)["state"] == "closed.terminated"


def test_a_step_with_nothing_to_act_on_is_exit_1_naming_it(tmp_path: Path) -> None:
    result = _run(tmp_path, _review(), [{"complete": "check"}, {"complete": "check"}])
    assert result.exit_code == 1
    assert "step 2 (complete 'check'): no open work item of activity 'check'" in result.output


@pytest.mark.parametrize(
    ("steps", "words"),
    [
        ({"complete": "x"}, "expected a JSON list"),
        ([{"complete": "x", "advance": "PT1H"}], "step 1: expected one of"),
        ([{"jump": "x"}], "step 1: expected one of"),
        ([{"advance": "soon"}], "not an ISO 8601 duration"),
        ([{"terminate": "yes"}], 'write {"terminate": true}'),
        ([{"complete": "check", "set": [1]}], '"set" must be an object'),
        ([{"message": ""}], "'message' names a message"),
        ([{"signal": 3}], "'signal' names a signal"),
        ([{"add_instance": ""}], "'add_instance' names an activity id"),
    ],
)
def test_bad_steps_are_usage_errors(tmp_path: Path, steps: Any, words: str) -> None:
    result = _run(tmp_path, _review(), steps)
    assert result.exit_code == 2 and words in result.output


@pytest.mark.parametrize(
    ("steps", "words"),
    [
        ([{"advance": 1e20}], "step 1: 1e+20 seconds is more than a step may move the clock"),
        # not JSON (a strict reader refuses it), so refused as the file's, before its steps
        ([{"advance": float("inf")}], "steps.json: Infinity is not a JSON number"),
        ([{"advance": 1e12}], "step 1: 1000000000000.0 seconds is more than a step may move"),
        ([{"advance": "P999999D"}] * 2, "step 1: 'P999999D' is not an ISO 8601 duration"),
        (  # the clock starts now (any year from 2006 to 3004): the 8th advance passes
            [{"complete": "check"}] + [{"advance": "P365000D"}] * 9,
            "step 9: advancing 365000 days, 0:00:00 moves the clock past 9999-12-31",
        ),
    ],
    ids=["1e20", "infinity", "1e12", "too-many-days", "past-the-calendar"],
)
def test_an_advance_past_what_the_clock_can_hold_is_a_usage_error_naming_the_step(
    tmp_path: Path, steps: Any, words: str
) -> None:
    """It was a Python traceback (OverflowError), exit 1, with nothing naming the step."""
    result = _run(tmp_path, _review(), steps)
    assert result.exit_code == 2, result.output
    assert words in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("name", "steps", "trace", "absent"),
    [
        # an intermediate timer event
        ("Two_tasks_and_delay_event", [{"advance": "PT2M"}], ["141"], []),
        # an intermediate message event, its message named after the event
        ("intermediate_message", [{"message": "Message"}], ["5"], []),
        # an event-based gateway: the timer, or either message, wins; the others withdrawn
        ("EBXOR", [{"advance": "PT1000S"}], ["6", "9"], ["7", "8"]),
        ("EBXOR", [{"message": "Message1"}], ["7", "10"], ["6", "8"]),
        ("EBXOR", [{"message": "Message2"}], ["8", "11"], ["6", "7"]),
    ],
)
def test_tibco_event_files_run_to_completion_with_steps(
    tmp_path: Path, name: str, steps: list[dict[str, Any]], trace: list[str], absent: list[str]
) -> None:
    root = conformance_root()
    if root is None:
        pytest.skip("the conformance corpus is not beside the project")
    script = tmp_path / "steps.json"
    script.write_text(json.dumps(steps))
    path = root / "xpdl" / "tibco-business-studio" / f"{name}.xpdl"
    args = ["run", str(path), "--process", "1", "--script", str(script), "--json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["state"] == "closed.completed"
    done = out["trace"]
    assert [t for t in done if t in trace] == trace
    assert not set(done) & set(absent)


def test_a_message_step_reaches_the_waiting_catch(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("answer", "STRING")
    trigger = XmlNode(
        tag=XPDL + "TriggerResultMessage",
        children=(XmlNode(tag=XPDL + "Message", attrs=(("Id", "m"), ("Name", "reply"))),),
    )
    catch = Event(position=EventPosition.INTERMEDIATE, trigger="Message", detail=(trigger,))
    p.activity("ask").add_activity(Activity(id="wait_reply", body=catch)).activity("close")
    p.transition("ask", "wait_reply").transition("wait_reply", "close")
    waiting = _run(tmp_path, pb, [])
    assert waiting.exit_code == 3  # no step: it waits for the message
    done = _run(tmp_path, pb, [{"message": "reply", "set": {"answer": "ok"}}])
    assert done.exit_code == 0, done.output
    out = json.loads(done.stdout)
    assert out["trace"] == ["ask", "wait_reply", "close"] and out["data"]["answer"] == "ok"


def test_a_message_step_nothing_catches_is_exit_2_naming_the_step(tmp_path: Path) -> None:
    # refused before anything runs: no process of the file catches it
    # (tests/cli/test_run_script_targets.py)
    result = _run(tmp_path, _review(), [{"complete": "check"}, {"message": "nope"}])
    assert result.exit_code == 2, result.output
    assert "step 2 (message 'nope'): " in result.output and "nope" in result.output


def _growing() -> PackageBuilder:
    from wfengine.definition.builder import multi_instance

    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("item", "STRING")
    p.activity("each", performer="clerk", loop=multi_instance("2")).activity("done")
    p.transition("each", "done")
    return pb


def test_an_add_instance_step_grows_the_running_mi_activity(tmp_path: Path) -> None:
    steps = [{"add_instance": "each", "set": {"item": "third"}}]
    result = _run(tmp_path, _growing(), steps)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["trace"] == ["each", "each", "each", "done"]
    assert out["data"]["item"] == "third"


def test_an_add_instance_step_with_nothing_running_is_exit_1(tmp_path: Path) -> None:
    result = _run(tmp_path, _growing(), [{"add_instance": "done"}])
    assert result.exit_code == 1
    assert "step 1 (add_instance 'done'): no running multi-instance activity" in result.output
