"""``run`` with an asynchronous application that must retry: on ``--script``'s virtual clock
the run moves the clock to the retry (it slept in real time for a virtual time that never
came, so the run never ended); on the real clock a back-off longer than the run waits is left
waiting, and the run says so, instead of sleeping it out."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from wfengine.cli.run_cmd import run
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.io import dump_xpdl

APPS = """
calls = []

def register(registry):
    def flaky(n):
        calls.append(n)
        if len(calls) < 3:
            raise ConnectionError("down")
        return {"n": n * 2}

    registry.register("flaky", flaky, retries=3, backoff=3600, asynchronous=True)
"""


def _files(tmp_path: Path) -> tuple[str, str]:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="21")
    p.application("flaky", params=[("n", "INOUT", "INTEGER")])
    p.activity("call", tool="flaky", args=["n"])
    path = tmp_path / "p.xpdl"
    path.write_bytes(dump_xpdl(pb.build()))
    apps = tmp_path / "flaky_apps.py"
    apps.write_text(APPS)
    return str(path), str(apps)


def test_script_run_moves_its_clock_to_the_retry(tmp_path: Path) -> None:
    xpdl, apps = _files(tmp_path)
    steps = tmp_path / "steps.json"
    steps.write_text('[{"advance": "PT1S"}]')
    result = CliRunner().invoke(run, [xpdl, "--apps", apps, "--script", str(steps), "--json"])
    out = json.loads(result.output)
    assert result.exit_code == 0, result.output
    assert out["state"] == "closed.completed"
    assert out["data"]["n"] == 42
    assert out["stopped"] is None


def test_real_clock_run_leaves_a_long_backoff_waiting(tmp_path: Path) -> None:
    xpdl, apps = _files(tmp_path)
    result = CliRunner().invoke(run, [xpdl, "--apps", apps, "--json"])
    out = json.loads(result.stdout)
    assert result.exit_code == 3, result.output
    assert out["state"] == "open.running"
    assert [w["kind"] for w in out["waiting"]] == ["invoke"]
    assert "--script" in out["stopped"]
