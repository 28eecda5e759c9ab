"""A handler's payload is its own copy, nested lists too, on memory as on SQLite.

Why: the memory store copied a payload one level deep, so a handler appending to its entry's
``escalated_to`` (normalising its copy) changed the stored entry: the retry, and every later
handler, was told someone the escalation never named. SQLite gives a copy read from the row.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from wfengine import load_organisation
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import OutboxRecord, OutboxStatus

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_handler_changing_its_payload_changes_no_stored_entry(
    store: str, clock: VirtualClock, tmp_path: Path
) -> None:
    pb = PackageBuilder("desk")
    escalate = {"wfengine:escalate-after": "PT2H"}
    pb.process("ticket").activity("answer", performer="sales", extended=escalate)
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    directory = load_organisation(EXAMPLES / "organisation.yaml")
    with Engine(clock=clock, db_url=url, directory=directory) as engine:
        engine.deploy(pb.build())
        engine.start_process("ticket")
        clock.advance(timedelta(hours=3))
        given: list[list[str]] = []

        def handler(record: OutboxRecord) -> None:
            given.append(list(record.payload["escalated_to"]))
            record.payload["escalated_to"].append("mallory")  # normalising its own copy
            if len(given) == 1:
                raise RuntimeError("bus down")

        engine.outbox.subscribe(handler, ["work_item.escalated"])
        engine.deliver_outbox()
        clock.advance(timedelta(minutes=1))
        engine.deliver_outbox()
        (escalated,) = engine.outbox.entries(OutboxStatus.DELIVERED)

    assert given == [["carol"], ["carol"]]  # the retry says what the first attempt said
    assert escalated.payload["escalated_to"] == ["carol"]
