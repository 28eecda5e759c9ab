"""The CRM example's status export reads a closed case's brief status once per exporting
process (``status_export.ClosedStatuses``, kept between exports), not at every export. Before,
every export read the brief status of every complaint ever (~8 ms each), so its cost grew with
every closed case: 20,000 cases took minutes per export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.examples.test_crm_complaint import PHONE, Desk, _module, desk

__all__ = ["desk"]  # the fixture, shared with test_crm_complaint

status_export = _module("status_export")


def test_a_closed_cases_status_is_read_once_and_exported_every_time(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = desk.intake(agent="amy")
    desk.do(closed, "coordinate", "dan", decision="abort")
    still_open = desk.intake(agent="amy", text="My line is down", category="network")
    read: list[str] = []
    real = status_export.brief_status

    def counted(engine: Any, iid: str) -> Any:
        read.append(iid)
        return real(engine, iid)

    monkeypatch.setattr(status_export, "brief_status", counted)
    key, kept = status_export.new_key(), status_export.ClosedStatuses()
    web = status_export.WebDesk(f"sqlite:///{tmp_path / 'web.db'}", key)

    def export(number: int) -> list[str]:
        read.clear()
        data = status_export.export_statuses(desk.engine, key, number, desk.clock.now(), kept=kept)
        web.load(data, desk.clock.now())
        return list(read)

    assert export(1) == [closed, still_open]
    assert export(2) == [still_open]  # the closed case: as it was read at export 1
    desk.do(still_open, "coordinate", "dan", decision="abort")
    assert export(3) == [still_open]  # closed since the last export: read once more
    assert export(4) == []
    cases = web.lookup(PHONE)
    assert [(c.acceptance_no, c.stage) for c in cases] == [
        ("0101-0001", "Closed without action"),
        ("0101-0002", "Closed without action"),
    ]
