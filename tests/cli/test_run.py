"""``wfengine run``: the contract scripts rely on (output shape and exit statuses)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from wfengine.cli.run_cmd import run
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.io import dump_xpdl


def _write(tmp_path: Path, pb: PackageBuilder) -> str:
    path = tmp_path / "p.xpdl"
    path.write_bytes(dump_xpdl(pb.build()))
    return str(path)


def _complaint(tmp_path: Path) -> str:
    pb = PackageBuilder("pkg")
    p = pb.process("complaint")
    p.data_field("amount", "INTEGER", initial="0").data_field("verdict", "STRING")
    p.activity("intake").activity("review", performer="clerk")
    p.activity("refund").activity("reject").activity("end")
    p.transition("intake", "review")
    p.transition("review", "refund", condition="verdict == 'ok'")
    p.transition("review", "reject", otherwise=True)
    p.transition("refund", "end").transition("reject", "end")
    other = pb.process("other")
    other.activity("only")
    return _write(tmp_path, pb)


def test_run_json_follows_answers_and_exits_0(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"review": [{"verdict": "ok"}]}))
    result = CliRunner().invoke(
        run, [_complaint(tmp_path), "--set", "amount=250", "--answers", str(answers), "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert list(out) == [
        "instance_id",
        "process_id",
        "state",
        "trace",
        "data",
        "incidents",
        "waiting",
        "stubbed",
        "stopped",
        "decided",
    ]
    assert out["process_id"] == "complaint" and out["state"] == "closed.completed"
    assert out["trace"] == ["intake", "review", "refund", "end"]
    assert out["data"] == {"amount": 250, "verdict": "ok"}
    assert (out["incidents"], out["waiting"], out["stubbed"], out["stopped"]) == ([], [], [], None)
    assert out["decided"] == []


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({"reveiw": [{"verdict": "ok"}]}, "'reveiw' is no activity of the package's processes"),
        ({"review": [{"verdit": "ok"}]}, "'verdit' is not declared by process 'complaint'"),
        ({"review": [{"amount": "lots"}]}, "amount: data field 'amount' (INTEGER): expected"),
    ],
    ids=["activity", "field", "type"],
)
def test_answers_that_do_not_fit_the_definition_are_a_usage_error(
    tmp_path: Path, answers: dict[str, object], words: str
) -> None:
    """A misspelt activity or field was silently unused (or made an undeclared field) and a
    wrong type failed later as an incident: the run reached an outcome nobody asked for."""
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    result = CliRunner().invoke(run, [_complaint(tmp_path), "--answers", str(path)])
    assert result.exit_code == 2, result.output
    assert words in result.output
    converted = tmp_path / "converted.json"
    converted.write_text(json.dumps({"review": [{"amount": "250", "note": 1}]}))
    args = [_complaint(tmp_path), "--answers", str(converted), "--allow-undeclared", "--json"]
    ok = CliRunner().invoke(run, args)
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["data"] == {"amount": 250, "verdict": None, "note": 1}


def test_a_script_steps_set_is_checked_like_set(tmp_path: Path) -> None:
    steps = tmp_path / "steps.json"
    steps.write_text(json.dumps([{"complete": "review", "set": {"amount": "lots"}}]))
    result = CliRunner().invoke(run, [_complaint(tmp_path), "--script", str(steps)])
    assert result.exit_code == 2
    assert "step 1 (complete 'review'): amount: data field 'amount' (INTEGER)" in result.output


def test_run_without_answers_completes_manual_work_unchanged(tmp_path: Path) -> None:
    result = CliRunner().invoke(run, [_complaint(tmp_path), "--set", "verdict=x y", "--json"])
    out = json.loads(result.output)
    assert out["trace"] == ["intake", "review", "reject", "end"]
    assert out["data"]["verdict"] == "x y"


def test_run_readable_trace_and_other_process(tmp_path: Path) -> None:
    result = CliRunner().invoke(run, [_complaint(tmp_path), "--process", "other"])
    assert result.exit_code == 0
    assert "only" in result.output and "closed.completed" in result.output


def test_run_exits_3_when_the_instance_waits(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.application("unbound")
    p.activity("call", tool="unbound")
    result = CliRunner().invoke(run, [_write(tmp_path, pb), "--unbound", "incident", "--json"])
    assert result.exit_code == 3
    assert json.loads(result.output)["state"] == "open.running"


def test_run_exits_1_when_the_definition_cannot_be_loaded(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xpdl"
    broken.write_text("<Package")
    result = CliRunner().invoke(run, [str(broken)])
    assert result.exit_code == 1 and "xml-malformed" in result.stderr


def test_run_exits_2_on_usage_errors_and_unreadable_files(tmp_path: Path) -> None:
    unknown = CliRunner().invoke(run, [_complaint(tmp_path), "--process", "nope"])
    assert unknown.exit_code == 2 and "nope" in unknown.stderr
    missing = CliRunner().invoke(run, [str(tmp_path / "missing.xpdl")])
    assert missing.exit_code == 2 and "missing.xpdl" in missing.stderr
    bad = tmp_path / "bad.json"
    for text, message in [
        ("[1]", "expected"),
        ("{nope", "is not JSON"),
        ('{"review": [{"not a name": 1}]}', "'not a name'"),
    ]:
        bad.write_text(text)
        result = CliRunner().invoke(run, [_complaint(tmp_path), "--answers", str(bad)])
        assert result.exit_code == 2 and message in result.stderr, result.output
    gone = CliRunner().invoke(run, [_complaint(tmp_path), "--answers", str(tmp_path / "no.json")])
    assert gone.exit_code == 2 and "no.json" in gone.stderr


def test_run_reads_answers_from_stdin(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        run,
        [_complaint(tmp_path), "--answers", "-", "--json"],
        input=json.dumps({"review": [{"verdict": "ok"}]}),
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["trace"] == ["intake", "review", "refund", "end"]
    both = CliRunner().invoke(run, ["-", "--answers", "-"], input="")
    assert both.exit_code == 2 and "standard input" in both.stderr


@pytest.mark.parametrize(
    "wait", [{"timer": "PT0S"}, {"at": "2001-01-01T00:00:00Z"}], ids=["zero", "gone-by"]
)
def test_run_fires_a_timer_already_due_and_completes(tmp_path: Path, wait: dict[str, str]) -> None:
    """A zero timer fires at once, and so does a date gone by: the run goes on past them
    (it waited, exit 3, "waiting: timer ... due 2001-01-01")."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").activity("a", script="x = 1")
    p.intermediate("t", **wait)  # type: ignore[arg-type]
    p.activity("b", script="y = 2").end("e")
    p.sequence("s", "a", "t", "b", "e")
    result = CliRunner().invoke(run, [_write(tmp_path, pb), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["trace"] == ["s", "a", "t", "b", "e"]
    assert out["waiting"] == []
