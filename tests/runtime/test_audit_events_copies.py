"""``engine.audit_events()`` and ``iter_events()`` hand out events the host owns: the memory
store kept the filtered trail for the next page and handed out those very events, so a host
that edited a returned event's detail (redacting it for display) changed what every later read
showed, and the WAPI creator check reading it refused the creator her own instance (and wrote
a false ``operation.refused``). Now each page is copied; SQLite always built fresh ones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, iter_events
from wfengine.wapi import connect


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("desk")
        p = pb.process("ticket")
        p.data_field("amount", "FLOAT", initial="0.0")
        p.start("s").activity("book", performer="accountant").end("e")
        p.sequence("s", "book", "e")
        e.deploy(pb.build())
        yield e


def test_editing_a_returned_event_changes_no_later_read(engine: Engine) -> None:
    instance_id = engine.start_process("ticket", {"amount": 800.0})
    first = engine.audit_events(instance_id=instance_id)[0]
    first.detail["data"]["amount"] = -1.0  # the host redacts its own copy

    assert engine.audit_events(instance_id=instance_id)[0].detail["data"] == {"amount": 800.0}
    paged = next(iter(iter_events(engine, instance_id=instance_id)))
    assert paged.detail["data"] == {"amount": 800.0}
    assert engine.audit(instance_id)[0].detail["data"] == {"amount": 800.0}


def test_the_creator_still_reads_her_instance_after_the_host_anonymised_the_trail(
    engine: Engine,
) -> None:
    alice = connect(engine, "alice")  # a clerk: only the creator of this instance
    instance_id = alice.create_process_instance("ticket")
    for event in engine.audit_events(instance_id=instance_id, kind="instance.created"):
        event.detail.pop("user", None)  # the host shows an anonymised trail

    assert alice.get_process_instance(instance_id).id == instance_id
    assert [e for e in engine.audit(instance_id) if e.kind == "operation.refused"] == []
