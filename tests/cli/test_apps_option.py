"""``--apps MODULE`` for ``run`` and ``validate``: a host module binds applications."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from wfengine.cli.run_cmd import run
from wfengine.cli.validate_cmd import validate
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.io import dump_xpdl

APPS = """
calls = []

def register(registry):
    def double(n):
        calls.append(n)
        return {"n": n * 2}

    registry.register("double", double, retries=2, timeout=5)
"""


def _xpdl(tmp_path: Path, app_id: str = "double") -> str:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="21")
    p.application(app_id, params=[("n", "INOUT", "INTEGER")])
    p.activity("call", tool=app_id, args=["n"])
    path = tmp_path / "p.xpdl"
    path.write_bytes(dump_xpdl(pb.build()))
    return str(path)


@pytest.fixture
def apps_module(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "wf_test_apps.py").write_text(APPS)
    sys.path.insert(0, str(tmp_path))
    yield "wf_test_apps"
    sys.path.remove(str(tmp_path))
    sys.modules.pop("wf_test_apps", None)


def test_run_with_apps_module_binds_applications(tmp_path: Path, apps_module: str) -> None:
    result = CliRunner().invoke(run, [_xpdl(tmp_path), "--apps", apps_module, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["state"] == "closed.completed" and out["data"] == {"n": 42}
    assert sys.modules[apps_module].calls == [21]


def test_run_with_a_py_file(tmp_path: Path) -> None:
    apps = tmp_path / "apps_file.py"
    apps.write_text(APPS)
    result = CliRunner().invoke(run, [_xpdl(tmp_path), "--apps", str(apps), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["data"] == {"n": 42}


def test_run_without_binding_stops_on_an_incident_and_exits_3(tmp_path: Path) -> None:
    result = CliRunner().invoke(run, [_xpdl(tmp_path), "--unbound", "incident"])
    assert result.exit_code == 3
    assert "open.running" in result.output and "not bound" in result.output


def test_unusable_apps_module_exits_2(tmp_path: Path) -> None:
    (tmp_path / "no_register.py").write_text("x = 1\n")
    for module, message in [
        ("wf_no_such_module_x", "cannot import"),
        (str(tmp_path / "no_register.py"), "no register(registry)"),
        (str(tmp_path / "missing.py"), "no such file"),
    ]:
        result = CliRunner().invoke(run, [_xpdl(tmp_path), "--apps", module])
        assert result.exit_code == 2, (module, result.output)
        assert message in result.output


def test_validate_with_apps_reports_binding_findings(tmp_path: Path, apps_module: str) -> None:
    clean = CliRunner().invoke(validate, ["--apps", apps_module, "--json", _xpdl(tmp_path)])
    assert clean.exit_code == 0
    assert [f["code"] for f in json.loads(clean.output)] == []

    other = _xpdl(tmp_path, app_id="triple")
    result = CliRunner().invoke(validate, ["--apps", apps_module, "--json", other])
    assert result.exit_code == 0  # warnings only
    found = {(f["code"], f["severity"], f["element_id"]) for f in json.loads(result.output)}
    assert found == {
        ("application-undeclared", "warning", "double"),
        ("application-unbound", "warning", "triple"),
    }
    text = CliRunner().invoke(validate, ["--apps", apps_module, other])
    assert "warning application-unbound: application 'triple'" in text.output


def test_validate_without_apps_reports_no_binding_findings(tmp_path: Path) -> None:
    result = CliRunner().invoke(validate, ["--json", _xpdl(tmp_path, app_id="triple")])
    assert all(not f["code"].startswith("application-") for f in json.loads(result.output))
