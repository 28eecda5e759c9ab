"""outbox.entries(instance_id=), detailed_status and brief_status name themselves when the
instance id is not a string: the outbox listed nothing in memory and raised a sqlalchemy
ProgrammingError on SQLite, and the statuses named the engine's inner ``instance`` query."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, brief_status, detailed_status


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    with Engine(clock=VirtualClock(), db_url=url) as e:
        pb = PackageBuilder("desk")
        pb.process("ticket").activity("answer", performer="clerk")
        e.deploy(pb.build())
        e.start_process("ticket")
        yield e


CALLS: list[tuple[str, Callable[[Engine, Any], object]]] = [
    ("outbox.entries", lambda e, v: e.outbox.entries(instance_id=v)),
    ("detailed_status", lambda e, v: detailed_status(e, v)),
    ("brief_status", lambda e, v: brief_status(e, v)),
]


@pytest.mark.parametrize(("command", "call"), CALLS, ids=[c[0] for c in CALLS])
@pytest.mark.parametrize("bad", [["pi-1"], 10**30], ids=["list", "huge-int"])
def test_an_instance_id_that_is_no_string_is_a_type_error_naming_the_call(
    engine: Engine, command: str, call: Callable[[Engine, Any], object], bad: object
) -> None:
    with pytest.raises(TypeError, match=rf"^{command}: instance_id must be one process instance"):
        call(engine, bad)


def test_a_string_id_still_lists_and_reads(engine: Engine) -> None:
    assert {r.instance_id for r in engine.outbox.entries(instance_id="pi-1")} == {"pi-1"}
    assert detailed_status(engine, "pi-1").instance.id == "pi-1"
    assert brief_status(engine, "pi-1").state == "in progress"
