"""Refusals name what the host asked about, in words that read.

Why: a message sent to a closed instance was refused as "cannot receive 'go' process instance
'pi-1'", and cancelling one instance of a multi-instance activity ('pi-2:4') named only the
activity it belongs to ('pi-2:2'), an id the host never gave."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, multi_instance
from wfengine.errors import IllegalStateError


def _engine() -> Engine:
    b = PackageBuilder("wording")
    b.participant("clerk")
    p = b.process("main")
    p.start("s")
    p.activity("a", performer="clerk")
    p.intermediate("m", message="go")
    p.end("e")
    p.sequence("s", "a", "m", "e")
    q = b.process("mi")
    q.data_field("n", "INTEGER", initial="3")
    q.start("s")
    q.activity("x", performer="clerk", loop=multi_instance("n"))
    q.end("e")
    q.sequence("s", "x", "e")
    engine = Engine()
    engine.deploy(b.build())
    return engine


def test_a_message_to_a_closed_instance_says_it_cannot_be_delivered() -> None:
    engine = _engine()
    iid = engine.start_process("main")
    engine.terminate(iid)
    said = (
        f"cannot deliver message 'go' to process instance '{iid}': it is closed.terminated; "
        "nothing was changed"
    )
    with pytest.raises(IllegalStateError) as refused:
        engine.send_message("go", {}, instance_id=iid)
    assert str(refused.value) == said


def test_cancelling_an_instance_of_a_multi_instance_activity_names_the_id_given() -> None:
    engine = _engine()
    iid = engine.start_process("mi")
    engine.suspend(iid)
    one = next(a for a in engine.activity_instances(iid) if a.mi_index == 1)
    parent = next(a for a in engine.activity_instances(iid) if a.id == one.mi_parent_id)
    with pytest.raises(IllegalStateError) as refused:
        engine.cancel_activity(iid, one.id)
    assert str(refused.value).startswith(
        f"cannot cancel activity instance '{one.id}' (of multi-instance '{parent.id}' ('x')) "
        f"of instance '{iid}': it is in an instance that is open.not_running.suspended"
    )
