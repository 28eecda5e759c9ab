"""Installed plug-ins (entry-point group ``wfengine.applications``) bind applications on the
command line: ``run`` and ``worker`` (and ``validate --apps``) bind what they register before
``--apps``, whose bindings replace theirs; ``simulate`` and the Python API bind none by
themselves. Before, nothing ever loaded the group the README documents, and a worker left the
plug-in's applications unbound (incidents).

The plug-in is a real installed distribution: a ``.dist-info`` with ``entry_points.txt`` in a
directory on ``sys.path`` (and on ``PYTHONPATH`` for the worker's child process).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.databases import automatic, cli, sqlite_url, write
from wfengine.cli.apps import NO_PLUGINS_ENVVAR
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState

PLUGIN = """
calls = []

def register(registry):
    def add(v):
        calls.append(v)
        return {"v": v + 10}

    registry.register("add", add)
"""


def _install(where: Path, module: str, source: str, target: str) -> None:
    (where / f"{module}.py").write_text(source)
    info = where / f"{module}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[wfengine.applications]\nmine = {target}\n")


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    where = tmp_path / "site"
    where.mkdir()
    _install(where, "wf_cli_plugin", PLUGIN, "wf_cli_plugin:register")
    monkeypatch.syspath_prepend(str(where))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(where), *sys.path]))
    monkeypatch.delenv(NO_PLUGINS_ENVVAR, raising=False)
    yield "wf_cli_plugin"
    sys.modules.pop("wf_cli_plugin", None)


def _run(tmp_path: Path, *extra: str) -> dict[str, object]:
    result = cli("run", write(tmp_path, automatic()), "--json", *extra)
    assert result.exit_code == 0, result.output
    out: dict[str, object] = json.loads(result.stdout)
    return out


def test_run_binds_what_an_installed_plug_in_registers(tmp_path: Path, plugin: str) -> None:
    out = _run(tmp_path)
    assert out["data"] == {"v": 11} and out["stubbed"] == []
    assert sys.modules[plugin].calls == [1]


def test_apps_replaces_a_plug_ins_binding(tmp_path: Path, plugin: str) -> None:
    apps = tmp_path / "apps.py"
    apps.write_text("def register(r):\n    r.register('add', lambda v: {'v': v + 1})\n")
    assert _run(tmp_path, "--apps", str(apps))["data"] == {"v": 2}
    assert sys.modules[plugin].calls == []


def test_the_environment_can_turn_plug_ins_off(
    tmp_path: Path, plugin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(NO_PLUGINS_ENVVAR, "1")
    out = _run(tmp_path)
    assert out["data"] == {"v": 1} and out["stubbed"] == [
        {"application_id": "add", "calls": [{"v": 1}]}
    ]
    assert plugin not in sys.modules


def test_a_plug_in_that_fails_is_exit_2_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = tmp_path / "site"
    where.mkdir()
    _install(where, "wf_cli_broken_plugin", "", "wf_cli_broken_plugin:register")
    monkeypatch.syspath_prepend(str(where))
    monkeypatch.delenv(NO_PLUGINS_ENVVAR, raising=False)
    result = cli("run", write(tmp_path, automatic()))
    assert result.exit_code == 2, result.output
    assert "entry point 'mine' (wf_cli_broken_plugin:register)" in result.stderr
    assert f"{NO_PLUGINS_ENVVAR}=1" in result.stderr and "Traceback" not in result.output


def test_validate_apps_counts_the_plug_ins_bindings(tmp_path: Path, plugin: str) -> None:
    apps = tmp_path / "apps.py"
    apps.write_text("def register(r):\n    pass\n")
    result = cli("validate", write(tmp_path, automatic()), "--apps", str(apps))
    assert result.exit_code == 0, result.output
    assert "application-unbound" not in result.output


def test_a_worker_binds_the_plug_in(tmp_path: Path, plugin: str) -> None:
    url = sqlite_url(tmp_path)
    [iid] = cli("instance", "start", write(tmp_path, automatic()), "--db", url).stdout.split()
    result = cli("worker", "--db", url, "--until-idle")
    assert result.exit_code == 0, result.output
    assert "application-unbound" not in result.stderr
    with Engine(db_url=url) as engine:
        snap = engine.instance(iid)
        assert snap.state is ProcessState.COMPLETED and snap.data["v"] == 11


def test_the_python_api_binds_plug_ins_only_when_asked(plugin: str) -> None:
    """Constructing an Engine runs no third-party code; the host asks for the plug-ins."""
    with Engine() as engine:
        assert engine.applications.ids() == []
        assert engine.applications.load_entry_points() == ["mine"]
        assert engine.applications.ids() == ["add"]
