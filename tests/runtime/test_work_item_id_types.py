"""The work-item commands name themselves when the work item id is not a string (a list was a
bare "unhashable type" in memory and a sqlalchemy error on SQLite; ``10**30`` a
``NotFoundError`` in memory and an ``OverflowError`` on SQLite), and ``waits_for_message``
refuses a message name that is no non-empty string (it answered False)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock


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
    ("claim_work_item", lambda e, v: e.claim_work_item(v, "ann")),
    ("start_work_item", lambda e, v: e.start_work_item(v, "ann")),
    ("release_work_item", lambda e, v: e.release_work_item(v, "ann")),
    ("delegate_work_item", lambda e, v: e.delegate_work_item(v, "ann", "bob")),
    ("reassign_work_item", lambda e, v: e.reassign_work_item(v, "ann", "bob")),
    ("send_back_work_item", lambda e, v: e.send_back_work_item(v, "ann", "answer", "why")),
    ("complete_work_item", lambda e, v: e.complete_work_item(v, {})),
]


@pytest.mark.parametrize(("command", "call"), CALLS, ids=[c[0] for c in CALLS])
@pytest.mark.parametrize("bad", [["wi-1"], 10**30, None], ids=["list", "huge-int", "none"])
def test_a_work_item_id_that_is_no_string_is_a_type_error_naming_the_command(
    engine: Engine, command: str, call: Callable[[Engine, Any], object], bad: object
) -> None:
    with pytest.raises(TypeError, match=rf"^{command}: work_item_id must be one work item id"):
        call(engine, bad)
    assert [item.state.value for item in engine.work_items("pi-1")] == ["offered"]


@pytest.mark.parametrize(("bad", "error"), [(None, TypeError), (5, TypeError), ("", ValueError)])
def test_waits_for_message_refuses_a_name_that_is_no_message_name(
    engine: Engine, bad: object, error: type[Exception]
) -> None:
    with pytest.raises(error, match=r"^waits_for_message: name must"):
        engine.waits_for_message("pi-1", bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [["x"], 10**30], ids=["list", "huge-int"])
def test_latest_and_record_outside_name_themselves_for_an_id_that_is_no_string(
    engine: Engine, bad: object
) -> None:
    with pytest.raises(TypeError, match=r"^latest: process_id must be one process id"):
        engine.latest(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^record_refusal: instance_id must"):
        engine.record_refusal(bad, "a comment", "delete", "ann", "not hers")  # type: ignore[arg-type]
