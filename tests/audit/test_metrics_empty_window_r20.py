"""``process_metrics``, ``plot_bytes`` and ``write_plot`` refuse an ``until`` not after
``since`` as ``wfengine stats`` does, naming ``until``: they gave figures of zero and an empty
figure, which read as a period when nothing happened. The audit events of such a window are
still none (a host exporting up to ``now - lag`` may meet one while it catches up)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, iter_events, process_metrics
from wfengine.audit.plots import plot_bytes, write_plot

EARLY = datetime(2026, 1, 4, tzinfo=UTC)
LATE = datetime(2026, 1, 6, tzinfo=UTC)
EMPTY = r"^until: .* is not after since .*: the window is empty$"


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("a")
        e.deploy(pb.build())
        e.start_process("p")
        yield e


@pytest.mark.parametrize("until", [EARLY, LATE, LATE.astimezone(timezone(timedelta(hours=5)))])
def test_a_window_ending_at_or_before_its_start_is_refused(
    engine: Engine, until: datetime, tmp_path: Path
) -> None:
    said = f"until: {until.isoformat()} is not after since {LATE.isoformat()}: the window is empty"
    with pytest.raises(ValueError, match=f"^{re.escape(said)}$"):
        process_metrics(engine, "p", since=LATE, until=until)
    with pytest.raises(ValueError, match=EMPTY):
        plot_bytes(engine, "p", "svg", since=LATE, until=until)
    with pytest.raises(ValueError, match=EMPTY):
        write_plot(engine, "p", tmp_path / "never.svg", since=LATE, until=until)
    assert not (tmp_path / "never.svg").exists()


def test_a_window_is_measured_and_its_events_of_an_empty_one_are_none(engine: Engine) -> None:
    now = engine.clock.now()
    found = process_metrics(engine, "p", since=now - timedelta(hours=1), until=now + timedelta(1))
    assert found.started == 1
    assert list(iter_events(engine, since=now, until=now)) == []
    assert list(engine.audit_events(since=now + timedelta(1), until=now)) == []
