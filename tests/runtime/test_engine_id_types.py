"""An id that is not a string, given to an engine command (``start_process(['ticket'])``,
``suspend(10**30)``): it went on to the store, which failed its own way (a bare "unhashable
type: 'list'" in memory, a ``sqlalchemy`` ``ProgrammingError`` on SQLite; ``10**30`` a
``NotFoundError`` in memory but an ``OverflowError`` on SQLite). Now it is a ``TypeError``
naming the command and the argument, the same on every store, and nothing changes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder

BAD_IDS = [["x"], 10**30, None, b"x"]

#: (command, argument, what it is) -> how to call it with ``bad`` as that argument
CALLS: dict[tuple[str, str, str], Callable[[Engine, Any], object]] = {
    ("start_process", "process_id", "process id"): lambda e, bad: e.start_process(bad),
    ("create_instance", "process_id", "process id"): lambda e, bad: e.create_instance(bad),
    ("deployed", "process_id", "process id"): lambda e, bad: e.deployed(bad),
    ("refusal", "process_id", "process id"): lambda e, bad: e.refusal(bad),
    ("start", "instance_id", "process instance id"): lambda e, bad: e.start(bad),
    ("suspend", "instance_id", "process instance id"): lambda e, bad: e.suspend(bad),
    ("resume", "instance_id", "process instance id"): lambda e, bad: e.resume(bad),
    ("terminate", "instance_id", "process instance id"): lambda e, bad: e.terminate(bad),
    ("abort", "instance_id", "process instance id"): lambda e, bad: e.abort(bad),
    ("set_data", "instance_id", "process instance id"): lambda e, bad: e.set_data(bad, {"a": 1}),
    ("waits_for_message", "instance_id", "process instance id"): (
        lambda e, bad: e.waits_for_message(bad, "go")
    ),
}


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(db_url=url) as engine:
        pb = PackageBuilder("desk")
        pb.process("ticket").activity("answer", performer="clerk")
        engine.deploy(pb.build())
        engine.start_process("ticket")
        yield engine


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
@pytest.mark.parametrize("call", list(CALLS), ids=lambda c: c[0])
def test_an_id_that_is_not_a_string_is_a_type_error_naming_it(
    engine: Engine, call: tuple[str, str, str], bad: object
) -> None:
    command, name, what = call
    before = [(s.id, s.state) for s in engine.instance_summaries()]
    expected = rf"^{command}: {name} must be one {what} \(a string\), not {type(bad).__name__}"
    with pytest.raises(TypeError, match=expected):
        CALLS[call](engine, bad)
    assert [(s.id, s.state) for s in engine.instance_summaries()] == before
