"""Refusals name what the host asked about, in words that read.

Why: a message sent to a closed instance was refused as "cannot receive 'go' process instance
'pi-1'", and cancelling one instance of a multi-instance activity ('pi-2:4') named only the
activity it belongs to ('pi-2:2'), an id the host never gave."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder
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
