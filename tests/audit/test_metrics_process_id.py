"""``process_metrics`` names a deployed process: an unknown id gave figures of zero, and None
mixed every process on the memory store (zeros on SQLite), where ``wfengine stats --process``
refuses an unknown process. Now: NotFoundError naming those deployed, TypeError for non-text."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine import Engine, NotFoundError, PackageBuilder, process_metrics


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    e = Engine(db_url=url)
    request.addfinalizer(e.close)
    pb = PackageBuilder("m")
    pb.process("p").activity("a")
    pb.process("q").activity("b")
    e.deploy(pb.build())
    e.start_process("p", {})
    e.start_process("q", {})
    return e


def test_a_deployed_process_has_its_figures(engine: Engine) -> None:
    found = process_metrics(engine, "p")
    assert (found.started, found.completed) == (1, 1)
    assert [a.activity_id for a in found.activities] == ["a"]


def test_an_unknown_process_is_refused_naming_the_deployed_ones(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match=r"no deployed process 'zz' \(deployed: p, q\)"):
        process_metrics(engine, "zz")


@pytest.mark.parametrize("wrong", [None, 5, b"p"])
def test_a_process_id_that_is_not_text_is_refused(engine: Engine, wrong: object) -> None:
    with pytest.raises(TypeError, match="process_id is the id of a deployed process"):
        process_metrics(engine, wrong)  # type: ignore[arg-type]
