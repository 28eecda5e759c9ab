"""bench/peers/run.py: a failing pip install ends the run with what to do, not a traceback.

No network is used: the peers' environment is a stand-in whose ``python`` always fails, as pip
does when PyPI cannot be reached.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from tests.bench.conftest import BENCH


def test_failing_pip_install_says_to_check_network_or_measure_wfengine_alone(
    bench_script: Callable[[Path], ModuleType], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    peers_run = bench_script(BENCH / "peers" / "run.py")
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
