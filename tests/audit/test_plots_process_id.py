"""``write_plot`` and ``plot_bytes`` name a deployed process, as ``process_metrics`` does.

Found by a QA pass: ``plot_bytes(engine, "request_leeve", "png")`` (a typo) gave the PNG of
an empty chart and ``write_plot`` wrote one to the file, where ``process_metrics`` refuses
the same id; ``plot_bytes(engine, 5, "png")`` was refused in ``iter_events``' words, which
the caller never called. Now each is refused first, before any file is touched: a
``NotFoundError`` with ``process_metrics``' message, a ``TypeError`` naming the caller."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from wfengine import Engine, NotFoundError, PackageBuilder, process_metrics
from wfengine.audit.plots import plot_bytes, write_plot


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    e = Engine(db_url=url)
    request.addfinalizer(e.close)
    pb = PackageBuilder("m")
    pb.process("request_leave").activity("a")
    pb.process("q").activity("b")
    e.deploy(pb.build())
    e.start_process("request_leave", {})
    return e


def _drawers(tmp_path: Path) -> dict[str, Callable[[Engine, object], object]]:
    return {
        "plot_bytes": lambda e, pid: plot_bytes(e, pid, "png"),  # type: ignore[arg-type]
        "write_plot": lambda e, pid: write_plot(e, pid, tmp_path / "p.png"),  # type: ignore[arg-type]
    }


@pytest.mark.parametrize("drawer", ["plot_bytes", "write_plot"])
def test_a_process_never_deployed_is_refused_as_process_metrics_refuses_it(
    engine: Engine, tmp_path: Path, drawer: str
) -> None:
    with pytest.raises(NotFoundError) as metrics:
        process_metrics(engine, "request_leeve")
    with pytest.raises(NotFoundError) as drawn:
        _drawers(tmp_path)[drawer](engine, "request_leeve")
    assert str(drawn.value) == str(metrics.value)
    assert str(drawn.value) == "no deployed process 'request_leeve' (deployed: q, request_leave)"
    assert not (tmp_path / "p.png").exists()


@pytest.mark.parametrize("wrong", [None, 5, b"q"])
@pytest.mark.parametrize("drawer", ["plot_bytes", "write_plot"])
def test_a_process_id_that_is_not_text_is_refused_naming_the_caller(
    engine: Engine, tmp_path: Path, drawer: str, wrong: object
) -> None:
    with pytest.raises(TypeError, match=f"^{drawer}: process_id is the id of a deployed process"):
        _drawers(tmp_path)[drawer](engine, wrong)
    assert not (tmp_path / "p.png").exists()
