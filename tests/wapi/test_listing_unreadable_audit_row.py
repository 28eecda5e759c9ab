"""A non-administrator's listing on a SQL store reads the listed instances' creations and
offers from the audit trail by their ids (``wfengine.runtime.listing_facts``). A row of
those edited to hold no JSON or no time ended the listing with a decoding traceback; it is
left out and named as every read of the trail leaves it out, and the listing goes on."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.wapi import connect


@pytest.mark.parametrize("edit", ["detail = 'not json'", "at = 'garbage'"])
def test_a_listing_goes_on_past_an_unreadable_offer(
    tmp_path: Path, edit: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    pb = PackageBuilder("desk")
    p = pb.process("p")
    p.start("s").activity("answer", performer="clerk").end("e").sequence("s", "answer", "e")
    org = Organisation.from_data(ORG)
    with Engine(clock=VirtualClock(), db_url=url, directory=org) as e:
        e.deploy(pb.build())
        ids = [e.start_process("p") for _ in range(2)]
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                f"UPDATE audit_events SET {edit} "
                "WHERE instance_id = :i AND kind IN ('work_item.offered', 'instance.created')"
            ),
            {"i": ids[0]},
        )
    engine.dispose()
    with (
        Engine(clock=VirtualClock(), db_url=url, directory=org) as e,
        caplog.at_level(logging.WARNING, "wfengine.store"),
    ):
        # (the first is still alice's to read: its open item is offered to her)
        assert [s.id for s in connect(e, "alice").open_process_instances_list()] == ids
        assert connect(e, "dan").open_process_instances_list() == []
    named = [r.getMessage() for r in caplog.records if r.name == "wfengine.store"]
    assert any(f"audit_events row of instance '{ids[0]}'" in m for m in named)
