"""DBOS is measured beside wfengine on SQLite with wfengine's own settings: its driver (which
runs in the peers' environment, without wfengine) states the checkpoint interval wfengine
uses, so a change to one that forgets the other is caught here, not in a skewed ratio."""

from __future__ import annotations

import ast
from pathlib import Path

from wfengine.runtime.sql import sqlite_pragmas

DRIVER = Path(__file__).resolve().parents[2] / "bench" / "peers" / "drive_dbos.py"


def _driver_constant(name: str) -> object:
    for node in ast.parse(DRIVER.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                assert node.value is not None
                return ast.literal_eval(node.value)
    raise AssertionError(f"{DRIVER}: no {name}")


def test_the_dbos_driver_checkpoints_the_wal_as_wfengine_does() -> None:
    assert _driver_constant("WAL_CHECKPOINT_PAGES") == sqlite_pragmas.WAL_CHECKPOINT_PAGES
