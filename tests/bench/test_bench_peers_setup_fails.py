"""bench/peers/run.py: a failing pip install ends the run with what to do, not a traceback.

No network is used: the peers' environment is a stand-in whose ``python`` always fails, as pip
does when PyPI cannot be reached.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO_ROOT

PEERS = REPO_ROOT / "bench" / "peers"


def _peers_run(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(PEERS))
    spec = importlib.util.spec_from_file_location("bench_peers_run", PEERS / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look it up there
    spec.loader.exec_module(module)
    return module


def test_failing_pip_install_says_to_check_network_or_measure_wfengine_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    peers_run = _peers_run(monkeypatch)
    venv = tmp_path / ".venv-peers"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    python.chmod(0o755)
    requirements = tmp_path / "requirements-peers.txt"
    requirements.write_text("shoobx.wfmc==0\n", encoding="utf-8")
    monkeypatch.setattr(peers_run, "PEERS_VENV", venv)
    monkeypatch.setattr(peers_run, "REQUIREMENTS", requirements)
    monkeypatch.setattr(peers_run, "STAMP", venv / ".requirements-installed")
    with pytest.raises(SystemExit) as exit_:
        peers_run.ensure_peers_venv()
    message = str(exit_.value.code)
    assert f"could not install requirements-peers.txt into {venv} (exit status 1)" in message
    assert "PIP_INDEX_URL" in message and "--peers wfengine" in message
    assert not (venv / ".requirements-installed").exists()  # the next run tries again
