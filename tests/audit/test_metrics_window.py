"""``process_metrics`` and ``write_plot`` refuse a ``since``/``until`` that is no time with a
timezone as ``audit_events`` does, naming the argument, on every store (they raised a bare
comparison ``TypeError`` in memory and SQLAlchemy's error with its SQL on SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, process_metrics
from wfengine.audit.plots import write_plot


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("a")
        e.deploy(pb.build())
        e.start_process("p")
        yield e


@pytest.mark.parametrize("name", ["since", "until"])
def test_a_naive_time_is_refused_naming_the_argument(
    engine: Engine, name: str, tmp_path: Path
) -> None:
    naive = {name: datetime(2000, 1, 1)}
    with pytest.raises(ValueError, match=f"^{name}: a time with a timezone, not 2000-01-01"):
        process_metrics(engine, "p", **naive)
    with pytest.raises(ValueError, match=f"^{name}: a time with a timezone"):
        write_plot(engine, "p", tmp_path / "never.png", **naive)
    assert not (tmp_path / "never.png").exists()


def test_a_text_is_refused_as_no_datetime(engine: Engine) -> None:
    with pytest.raises(TypeError, match=r"^since: a datetime with a timezone.*not str"):
        process_metrics(engine, "p", since="2000-01-01")  # type: ignore[arg-type]


def test_an_aware_window_still_measures(engine: Engine) -> None:
    found = process_metrics(engine, "p", since=datetime(2000, 1, 1, tzinfo=UTC))
    assert (found.started, found.completed) == (1, 1)
