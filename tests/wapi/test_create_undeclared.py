"""Creating an instance through a session takes only the data names its process declares, as
assigning an attribute does: another name (a typo) is a ``NotFoundError`` naming those it
declares, and nothing is created."""

from __future__ import annotations

import pytest

from wfengine import Engine, NotFoundError, PackageBuilder
from wfengine.wapi import connect


def test_an_undeclared_name_is_refused_at_create(engine: Engine) -> None:
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.data_field("amount", "INTEGER", initial="1")
    p.data_field("note", "STRING", initial="''")
    p.start("s").activity("answer", performer="clerk").end("e").sequence("s", "answer", "e")
    engine.deploy(pb.build())
    clerk = connect(engine, "clerk")
    declared = r"no data field 'Amount' \(process 'ticket' declares amount, note\)"
    with pytest.raises(NotFoundError, match=declared):
        clerk.create_process_instance("ticket", {"Amount": 500})
    assert engine.instances() == []
    instance_id = clerk.create_process_instance("ticket", {"amount": 500})
    assert engine.instance(instance_id).data == {"amount": 500, "note": ""}
    with pytest.raises(NotFoundError, match=declared):  # as assigning it is
        clerk.assign_process_instance_attribute(instance_id, "Amount", 500)
    with pytest.raises(NotFoundError, match="no deployed process 'nope'"):
        clerk.create_process_instance("nope", {"x": 1})
