"""``wfengine run``: the contract scripts rely on (output shape and exit statuses)."""

from __future__ import annotations

import json
from pathlib import Path

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
    assert set(out) == {"instance_id", "process_id", "state", "trace", "data"}
    assert out["process_id"] == "complaint" and out["state"] == "closed.completed"
    assert out["trace"] == ["intake", "review", "refund", "end"]
    assert out["data"] == {"amount": 250, "verdict": "ok"}


def test_run_without_answers_completes_manual_work_unchanged(tmp_path: Path) -> None:
    result = CliRunner().invoke(run, [_complaint(tmp_path), "--set", "amount=x y", "--json"])
    out = json.loads(result.output)
    assert out["trace"] == ["intake", "review", "reject", "end"]
    assert out["data"]["amount"] == "x y"  # not JSON: kept as a string


def test_run_readable_trace_and_other_process(tmp_path: Path) -> None:
    result = CliRunner().invoke(run, [_complaint(tmp_path), "--process", "other"])
    assert result.exit_code == 0
    assert "only" in result.output and "closed.completed" in result.output


def test_run_exits_3_when_the_instance_waits(tmp_path: Path) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.application("unbound")
    p.activity("call", tool="unbound")
    result = CliRunner().invoke(run, [_write(tmp_path, pb), "--json"])
    assert result.exit_code == 3
    assert json.loads(result.output)["state"] == "open.running"


def test_run_exits_1_on_errors(tmp_path: Path) -> None:
    assert CliRunner().invoke(run, [_complaint(tmp_path), "--process", "nope"]).exit_code == 1
    assert CliRunner().invoke(run, [str(tmp_path / "missing.xpdl")]).exit_code == 1
    bad = tmp_path / "bad.json"
    bad.write_text("[1]")
    result = CliRunner().invoke(run, [_complaint(tmp_path), "--answers", str(bad)])
    assert result.exit_code == 1
