"""A long-running worker thread that met a database outage logged ``ERROR ... trying again in
N s`` at each failed round, and then nothing said the database was back: the last line an
operator read was the error. Now the first round that succeeds after an outage logs ``the
database is reachable again after N s`` (WARNING, as its ERROR lines are seen), once per
outage, and not otherwise."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import wfengine.runtime.worker as worker_module
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import StoreUnavailableError
from wfengine.runtime.engine import Engine
from wfengine.runtime.worker import Worker

#: what each call of run_due_jobs does, in order (an outage, or a round that runs); then stop
ROUNDS = ["fail", "fail", "run", "run", "fail", "run", "run"]
DOWN = "the database x failed 4 times in a row"


class _Said(logging.Handler):
    """The worker's log lines, in ``seen`` among the rounds as they happened."""

    def __init__(self, seen: list[str]) -> None:
        super().__init__(logging.INFO)
        self.seen = seen

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage())


@pytest.fixture
def seen() -> Iterator[list[str]]:
    found: list[str] = []
    log = logging.getLogger("wfengine.worker")
    handler, level = _Said(found), log.level
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        yield found
    finally:
        log.removeHandler(handler)
        log.setLevel(level)


def test_the_end_of_each_outage_is_logged_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seen: list[str]
) -> None:
    monkeypatch.setattr(worker_module, "MAX_OUTAGE_WAIT", 0.0)  # (no wait between rounds)
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    pb = PackageBuilder("pkg")
    pb.process("main").activity("a")
    with Engine(db_url=url) as setup:
        setup.deploy(pb.build())
    rounds = iter(ROUNDS)

    def make() -> Engine:
        engine = Engine(db_url=url)
        real = engine.run_due_jobs

        def run_due_jobs(**kwargs: Any) -> int:
            step = next(rounds, None)
            if step is None:  # (all rounds done: the worker stops)
                worker.stop()
                return 0
            seen.append(f"round: {step}")
            if step == "fail":
                raise StoreUnavailableError(DOWN)
            return real(**kwargs)

        engine.run_due_jobs = run_due_jobs  # type: ignore[method-assign]
        return engine

    worker = Worker(make, concurrency=1, poll=0.01)
    worker.run()
    said = [line for line in seen if re.match(r"round|the database", line)]
    again = f"{DOWN}; trying again in 0 s"
    back = r"the database is reachable again after \d+ s"
    expected = [
        *("round: fail", again, "round: fail", again, "round: run", back, "round: run"),
        *("round: fail", again, "round: run", back, "round: run"),
    ]
    assert len(said) == len(expected)
    for line, wanted in zip(said, expected, strict=True):
        assert re.fullmatch(wanted, line), (line, said)
