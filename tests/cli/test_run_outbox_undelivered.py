"""``wfengine run --apps MODULE`` in memory with a handler (``subscribe(outbox)``) that fails:
the delivery log says "next attempt at ...", but an in-memory run ends and nothing retries, so
the run says how many entries were not delivered and how to get them retried; the exit status
stays that of the instance."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.cli.databases import cli
from tests.cli.documents import REPO_ROOT

_APPS = """
import importlib.util

_spec = importlib.util.spec_from_file_location("lr", {apps!r})
_lr = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_lr)
register = _lr.register


def subscribe(outbox):
    def tell_dashboard(entry):
        {body}

    outbox.subscribe(tell_dashboard, "instance.state_changed")
"""


@pytest.mark.parametrize(
    ("body", "told"), [("raise ConnectionError('dashboard down')", True), ("pass", False)]
)
def test_an_in_memory_run_says_what_its_failing_handlers_left_undelivered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, told: bool
) -> None:
    apps = REPO_ROOT / "examples" / "leave_request_apps.py"
    (tmp_path / "dash_apps.py").write_text(_APPS.format(apps=str(apps), body=body))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "dash_apps", raising=False)
    xpdl = REPO_ROOT / "examples" / "leave_request.xpdl"
    result = cli("run", str(xpdl), "--apps", "dash_apps")
    assert result.exit_code == 0, result.output
    said = "outbox entries were not delivered (their handlers failed" in result.stderr
    assert said is told
    if told:
        assert "run with --db and let a worker retry them" in result.stderr
